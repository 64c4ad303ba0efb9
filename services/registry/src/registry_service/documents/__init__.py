"""Documents of DIP and DIK entries in the object store."""
