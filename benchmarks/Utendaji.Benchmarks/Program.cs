using BenchmarkDotNet.Running;

// Run with: dotnet run -c Release --project benchmarks/Utendaji.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
