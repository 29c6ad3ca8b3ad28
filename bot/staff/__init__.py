"""Tools for ICLEI staff: the explaining shell."""
