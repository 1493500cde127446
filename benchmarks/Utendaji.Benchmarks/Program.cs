using BenchmarkDotNet.Running;

// Benchmarks are never part of the test command; run one area with e.g. `--filter *TicketSummaryCsv*`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
