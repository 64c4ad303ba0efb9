"""Request statistics: the UU Pasal 12 figures, public (suppressed) and for officials."""
