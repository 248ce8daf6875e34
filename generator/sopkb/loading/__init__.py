"""Reading source files into plain data that remembers where every node came from."""
