namespace Utendaji.Core.Reporting;

/// <summary>
/// A report would list more periods than <see cref="KpiReportOptions.MaxPeriods"/>: a day-by-day report whose data or
/// range spans centuries (stores accept 1900–2199, and older ones may hold any year). Thrown before the per-period
/// figures are allocated, so two far-apart instants cannot exhaust the memory of a process that serves every organisation.
/// </summary>
public sealed class ReportTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReportTooLargeException()
        : base("The report would list more periods than a report may hold.")
    {
    }

    /// <summary>Creates the exception with a message that says how many periods, which, and what to change.</summary>
    public ReportTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ReportTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
