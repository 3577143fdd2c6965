"""C source frontends: each turns one file into the IR of analyzer.ir."""
