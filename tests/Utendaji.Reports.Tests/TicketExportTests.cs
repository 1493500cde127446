using System.Globalization;
using System.Text;
using System.Text.Json;
using Utendaji.Core.Metrics;

namespace Utendaji.Reports.Tests;

public class TicketExportTests
{
    [Fact]
    public void WriteCsv_EveryTicket_RoundTripsItsValues()
    {
        var facts = SampleData.Facts();
        var rows = CsvReader.Parse(Export(facts, TicketExportFormat.Csv));
        var header = rows[0];

        Assert.Equal(TicketExport.CsvColumns, header);
        Assert.Equal(facts.Count + 1, rows.Count);
        for (var i = 0; i < facts.Count; i++)
        {
            var t = facts[i];
            var line = header.Zip(rows[i + 1]).ToDictionary(p => p.First, p => p.Second);
            Assert.Equal(t.TicketId, line["ticket_id"]);
            Assert.Equal(t.Customer, line["customer"]);
            Assert.Equal(t.Team, line["team"]);
            Assert.Equal(t.Status == Core.Tickets.TicketStatus.Solved ? "solved" : "open", line["status"]);
            AssertSeconds(t.FirstReply?.Business.TotalSeconds, line["first_reply_business_seconds"]);
            AssertSeconds(t.FullResolution?.Calendar.TotalSeconds, line["full_resolution_calendar_seconds"]);
            AssertSeconds(t.RequesterWait?.Business.TotalSeconds, line["requester_wait_business_seconds"]);
            Assert.Equal(t.NextReplies.Count.ToString(CultureInfo.InvariantCulture), line["next_reply_count"]);
            Assert.Equal(t.FirstContactResolved switch { true => "true", false => "false", null => string.Empty }, line["first_contact_resolved"]);
            var first = t.Sla.First(o => o.Metric == SlaMetric.FirstReply);
            Assert.Equal(first.State == SlaState.Met ? "met" : "breached", line["sla_first_reply_state"]);
            Assert.Equal(NodaTime.Text.InstantPattern.ExtendedIso.Format(first.Due), line["sla_first_reply_due"]);
            AssertSeconds(first.Margin.TotalSeconds, line["sla_first_reply_margin_seconds"]);
            Assert.Equal("1", line["sla_next_reply_met"]);
        }
    }

    [Fact]
    public void WriteJson_EveryTicket_RoundTripsItsValues()
    {
        var facts = SampleData.Facts();
        using var document = JsonDocument.Parse(Export(facts, TicketExportFormat.Json));
        var array = document.RootElement;

        Assert.Equal(facts.Count, array.GetArrayLength());
        for (var i = 0; i < facts.Count; i++)
        {
            var t = facts[i];
            var o = array[i];
            Assert.Equal(t.TicketId, o.GetProperty("ticket_id").GetString());
            Assert.Equal(t.Customer, o.GetProperty("customer").GetString());
            Assert.Equal(t.Agent, o.GetProperty("agent").GetString());
            Assert.Equal(t.NextReplies.Count, o.GetProperty("next_replies").GetArrayLength());
            if (t.NextReplies.Count > 1)
            {
                Assert.Equal(1800.5, o.GetProperty("next_replies")[1].GetProperty("calendar_seconds").GetDouble());
            }

            if (t.FirstReply is { } fr)
            {
                Assert.Equal(fr.Business.TotalSeconds, o.GetProperty("first_reply").GetProperty("business_seconds").GetDouble());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, o.GetProperty("first_reply").ValueKind);
            }

            Assert.Equal(t.Sla.Count, o.GetProperty("sla").GetArrayLength());
            Assert.Equal(t.Sla[2].State.ToString().ToLowerInvariant(), o.GetProperty("sla")[2].GetProperty("state").GetString());
            Assert.Equal(t.Sla[0].Target.TotalSeconds, o.GetProperty("sla")[0].GetProperty("target_seconds").GetDouble());
        }
    }

    [Fact]
    public void Write_NonLatinText_IsUtf8ByteForByteWithoutBom()
    {
        foreach (var format in new[] { TicketExportFormat.Csv, TicketExportFormat.Json })
        {
            using var stream = new MemoryStream();
            TicketExport.Write(SampleData.Facts().Take(2), format, stream);
            var bytes = stream.ToArray();

            Assert.NotEqual(0xEF, bytes[0]);
            var urdu = Encoding.UTF8.GetBytes(SampleData.Urdu);
            Assert.True(bytes.AsSpan().IndexOf(urdu) >= 0, $"{format}: Urdu text not found verbatim");
        }
    }

    [Fact]
    public void WriteCsv_NoTickets_WritesHeaderOnly()
    {
        var rows = CsvReader.Parse(Export([], TicketExportFormat.Csv));
        Assert.Single(rows);
    }

    private static string Export(IEnumerable<TicketFacts> facts, TicketExportFormat format)
    {
        using var stream = new MemoryStream();
        TicketExport.Write(facts, format, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void AssertSeconds(double? expected, string actual)
    {
        if (expected is { } e)
        {
            Assert.Equal(e, double.Parse(actual, CultureInfo.InvariantCulture));
        }
        else
        {
            Assert.Equal(string.Empty, actual);
        }
    }
}
