using System.Text;
using NodaTime;
using Utendaji.Core.Metrics;

namespace Utendaji.Reports;

/// <summary>
/// How a ticket's figures were reached, for people: the text of <c>utendaji explain</c> and the HTML of the
/// dashboard's ticket page, from one grouping so both say the same thing in the same order.
/// </summary>
public static class ExplanationRenderer
{
    /// <summary>
    /// The steps grouped by metric, metrics in order of their first step. Steps arrive in computation order, which
    /// interleaves metrics; a reader wants each metric together.
    /// </summary>
    public static IReadOnlyList<IGrouping<string, ExplanationStep>> ByMetric(TicketExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        return explanation.Steps.GroupBy(s => s.Metric, StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes the plain-text explanation (<c>utendaji explain</c>'s text format).</summary>
    public static void WriteText(TextWriter writer, TicketExplanation explanation, Instant measuredAt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(explanation);
        writer.WriteLine($"ticket {explanation.TicketId} (measured at {measuredAt})");
        foreach (var group in ByMetric(explanation))
        {
            writer.WriteLine();
            writer.WriteLine(group.Key);
            foreach (var step in group)
            {
                writer.WriteLine($"  {step.Text}");
                foreach (var value in step.Values)
                {
                    writer.WriteLine($"      {value.Name}: {value.Value}");
                }
            }
        }
    }

    /// <summary>
    /// The explanation as an HTML fragment: one section per metric, each step a list item with its values. Every
    /// text is escaped (steps quote ticket fields, which come from customers).
    /// </summary>
    /// <param name="explanation">The explanation.</param>
    /// <param name="headingLevel">The heading level of each metric (2–6).</param>
    public static string Html(TicketExplanation explanation, int headingLevel = 3)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        var h = Math.Clamp(headingLevel, 2, 6);
        var html = new StringBuilder();
        foreach (var group in ByMetric(explanation))
        {
            html.Append("<section class=\"explain\"><h").Append(h).Append('>').Append(Markup.Escape(group.Key)).Append("</h").Append(h).Append(">\n<ul>\n");
            foreach (var step in group)
            {
                html.Append("<li>").Append(Markup.Escape(step.Text));
                if (step.Values.Count > 0)
                {
                    html.Append("<dl>");
                    foreach (var value in step.Values)
                    {
                        html.Append("<dt>").Append(Markup.Escape(value.Name)).Append("</dt><dd>").Append(Markup.Escape(value.Value)).Append("</dd>");
                    }

                    html.Append("</dl>");
                }

                html.Append("</li>\n");
            }

            html.Append("</ul></section>\n");
        }

        return html.ToString();
    }
}
