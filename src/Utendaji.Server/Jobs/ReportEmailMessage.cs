using System.Globalization;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Server.Jobs;

/// <summary>
/// The email form of a summary: subject, a plain-text part and an HTML part (multipart/alternative). Every name that
/// comes from ticket data (group values) is HTML-escaped in the HTML part; the text part is plain text.
/// </summary>
public static class ReportEmailMessage
{
    /// <summary>"Utendaji weekly summary 2026-W47" and, when grouped, " (by team)".</summary>
    public static string Subject(ReportSchedule schedule, KpiComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(comparison);
        var subject = $"Utendaji {ReportDelivery.CadenceName(schedule.Cadence)} summary {comparison.Current.Label}";
        return comparison.GroupBy.Count == 0 ? subject : $"{subject} (by {ReportDelivery.DimensionName(comparison.GroupBy[0])})";
    }

    /// <summary>The plain-text part.</summary>
    public static string Text(string organisation, ReportSchedule schedule, KpiComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var text = new StringBuilder();
        text.Append(Subject(schedule, comparison)).Append(" for ").Append(organisation).Append("\r\n");
        text.Append(Invariant($"{comparison.Current.Label} against {comparison.Previous.Label} ({schedule.TimeZone}); * = significant at p < {comparison.SignificanceLevel}, (small) = n below the minimum\r\n"));
        foreach (var group in Groups(comparison))
        {
            text.Append("\r\n== ").Append(GroupName(group, comparison)).Append(" ==\r\n");
            foreach (var change in group.Changes)
            {
                text.Append(Invariant($"{Label(change.Figure),-34} {Value(change.Figure, change.Previous),-28} -> {Value(change.Figure, change.Current),-28} {Difference(change)}{(change.Significant ? " *" : "")}{Test(change)}\r\n"));
            }
        }

        return text.ToString();
    }

    /// <summary>The HTML part; group values escaped.</summary>
    public static string Html(string organisation, ReportSchedule schedule, KpiComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E(Subject(schedule, comparison))).Append("</title></head><body>");
        html.Append("<h1>").Append(E(Subject(schedule, comparison))).Append("</h1>");
        html.Append("<p>").Append(E(organisation)).Append(": ").Append(E(comparison.Current.Label)).Append(" against ").Append(E(comparison.Previous.Label))
            .Append(" (").Append(E(schedule.TimeZone)).Append("). <strong>Bold</strong> changes are significant at p &lt; ")
            .Append(E(comparison.SignificanceLevel.ToString(CultureInfo.InvariantCulture))).Append("; n below the minimum is marked (small).</p>");
        foreach (var group in Groups(comparison))
        {
            html.Append("<h2>").Append(E(GroupName(group, comparison))).Append("</h2>");
            html.Append("<table><thead><tr><th>KPI</th><th>").Append(E(comparison.Previous.Label)).Append("</th><th>").Append(E(comparison.Current.Label))
                .Append("</th><th>change</th><th>test</th></tr></thead><tbody>");
            foreach (var change in group.Changes)
            {
                var difference = E(Difference(change));
                html.Append("<tr><td>").Append(E(Label(change.Figure))).Append("</td><td>").Append(E(Value(change.Figure, change.Previous)))
                    .Append("</td><td>").Append(E(Value(change.Figure, change.Current))).Append("</td><td>")
                    .Append(change.Significant ? "<strong>" + difference + "</strong>" : difference).Append("</td><td>")
                    .Append(E(Test(change).Trim())).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>The message: subject, text and HTML alternatives (base64, UTF-8), from and to as configured.</summary>
    public static MailMessage Build(string organisation, string deliveryId, ReportSchedule schedule, KpiComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var email = schedule.Email ?? throw new ArgumentException("the schedule has no email destination", nameof(schedule));
        var message = new MailMessage { From = new MailAddress(email.From), Subject = Subject(schedule, comparison), SubjectEncoding = Encoding.UTF8 };
        try
        {
            foreach (var to in email.To)
            {
                message.To.Add(new MailAddress(to));
            }

            // A stable id lets a mail system see a redelivered summary (a retried job) as the same message.
            message.Headers.Add("X-Utendaji-Delivery", deliveryId);
            var text = AlternateView.CreateAlternateViewFromString(Text(organisation, schedule, comparison), Encoding.UTF8, MediaTypeNames.Text.Plain);
            text.TransferEncoding = TransferEncoding.Base64;
            var html = AlternateView.CreateAlternateViewFromString(Html(organisation, schedule, comparison), Encoding.UTF8, MediaTypeNames.Text.Html);
            html.TransferEncoding = TransferEncoding.Base64;
            message.AlternateViews.Add(text);
            message.AlternateViews.Add(html);
            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private static IEnumerable<KpiGroupChange> Groups(KpiComparison comparison) => [comparison.Total, .. comparison.Groups];

    private static string GroupName(KpiGroupChange group, KpiComparison comparison) =>
        ReferenceEquals(group, comparison.Total) ? "All tickets" : $"{ReportDelivery.DimensionName(comparison.GroupBy[0])}: {group.Group}";

    private static string Label(KpiChangeFigure figure) => figure switch
    {
        KpiChangeFigure.Created => "Tickets created",
        KpiChangeFigure.Solved => "Tickets solved",
        KpiChangeFigure.BacklogAtEnd => "Backlog at period end",
        KpiChangeFigure.FirstReplyBusiness => "First reply, business hours (mean)",
        KpiChangeFigure.FullResolutionBusiness => "Resolution, business hours (mean)",
        KpiChangeFigure.SlaFirstReply => "SLA first reply met",
        KpiChangeFigure.SlaNextReply => "SLA next reply met",
        KpiChangeFigure.SlaResolution => "SLA resolution met",
        KpiChangeFigure.FirstContactResolution => "First-contact resolution",
        KpiChangeFigure.Reopened => "Reopened",
        KpiChangeFigure.Satisfied => "CSAT satisfied",
        _ => figure.ToString(),
    };

    private static bool IsRate(KpiChangeFigure figure) => figure >= KpiChangeFigure.SlaFirstReply;

    private static bool IsDuration(KpiChangeFigure figure) => figure is KpiChangeFigure.FirstReplyBusiness or KpiChangeFigure.FullResolutionBusiness;

    private static string Value(KpiChangeFigure figure, KpiValue value)
    {
        var small = value.Small && !IsCount(figure) ? " (small)" : "";
        if (IsCount(figure))
        {
            return Invariant($"{value.N}");
        }

        if (value.Value is not { } v)
        {
            return Invariant($"– (n={value.N})");
        }

        var ci = value.Interval95 is { } i ? $" [{Show(figure, i.Lower)}, {Show(figure, i.Upper)}]" : "";
        var median = value.Median is { } m ? $" median {Show(figure, m)}" : "";
        return Invariant($"{Show(figure, v)}{ci}{median} n={value.N}{small}");
    }

    private static bool IsCount(KpiChangeFigure figure) => figure <= KpiChangeFigure.BacklogAtEnd;

    private static string Show(KpiChangeFigure figure, double v) =>
        IsRate(figure) ? Invariant($"{v * 100:0.0}%") : IsDuration(figure) ? Invariant($"{v / 3600:0.00} h") : Invariant($"{v:0}");

    private static string Difference(KpiChange change)
    {
        if (change.Difference is not { } d)
        {
            return "–";
        }

        var sign = d > 0 ? "+" : d < 0 ? "−" : "±";
        var magnitude = Math.Abs(d);
        return IsRate(change.Figure) ? Invariant($"{sign}{magnitude * 100:0.0} pts")
            : IsDuration(change.Figure) ? Invariant($"{sign}{magnitude / 3600:0.00} h")
            : Invariant($"{sign}{magnitude:0}");
    }

    private static string Test(KpiChange change) => change.Test is { } t ? Invariant($" (p={t.PValue:0.0000})") : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
