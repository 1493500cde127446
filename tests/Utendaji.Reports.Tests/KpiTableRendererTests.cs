using Utendaji.Core.Reporting;
using Utendaji.Core.Statistics;

namespace Utendaji.Reports.Tests;

public class KpiTableRendererTests
{
    [Fact]
    public void Rate_KnownCase_IsCompactWithNAndInterval()
    {
        var report = KpiReportBuilder.Build([], KpiReportOptions.Default);
        // Interval from R 4.2.2: prop.test(105, 120, correct = FALSE)$conf.int = 0.80397, 0.92277
        Assert.Equal("87.5% (n=120, 95% CI 80.4–92.3)", Format.Rate(new Proportion(105, 120), report));
        Assert.Equal("85.7% (n=7, 95% CI 48.7–97.4) *", Format.Rate(new Proportion(6, 7), report));
        Assert.Equal("—", Format.Rate(new Proportion(0, 0), report));
    }

    [Theory]
    [InlineData(null, "—")]
    [InlineData(42.4, "42s")]
    [InlineData(725.0, "12m 05s")]
    [InlineData(11220.0, "3h 07m")]
    [InlineData(187200.0, "2d 04h")]
    public void Duration_Values_AreCompact(double? seconds, string expected) =>
        Assert.Equal(expected, Format.Duration(seconds));

    [Fact]
    public void Render_GroupedReport_AlignsColumnsAndShowsDefinitions()
    {
        var text = KpiTableRenderer.Render(SampleData.Report(PeriodGranularity.Week, GroupDimension.Team));
        var lines = text.Split('\n');

        Assert.Contains("Hyndman–Fan type 7", text, StringComparison.Ordinal);
        Assert.Contains("95% Wilson", text, StringComparison.Ordinal);
        Assert.Contains(SampleData.Gujarati, text, StringComparison.Ordinal);
        Assert.Contains(SampleData.Urdu, text, StringComparison.Ordinal);

        // In the volume table every line has the "created" column ending at the same terminal column, counted
        // independently here: Gujarati viramas and vowel signs above or below (category Mn) take no column.
        var start = Array.IndexOf(lines, "Volume") + 1;
        var block = lines.Skip(start).TakeWhile(l => l.Length > 0).ToList();
        var header = block[0];
        var createdEnd = header.IndexOf("created", StringComparison.Ordinal) + "created".Length;
        Assert.Contains(block, l => l.Contains(SampleData.Gujarati, StringComparison.Ordinal));
        foreach (var line in block.Skip(2))
        {
            var column = 0;
            var index = 0;
            while (column < createdEnd)
            {
                var rune = System.Text.Rune.GetRuneAt(line, index);
                column += System.Text.Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.NonSpacingMark ? 0 : 1;
                index += rune.Utf16SequenceLength;
            }

            Assert.True(char.IsDigit(line[index - 1]), $"'created' column misaligned in: {line}");
        }
    }
}
