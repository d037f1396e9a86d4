"""Benchmarks for `make bench`. Each module in this package with a ``run(argv)`` function is one benchmark;
figures are printed as ratios against the peer each benchmark names. Not timed tests: nothing here runs in
`make test`."""
