using Utendaji.Core.Surveys;
using Utendaji.Storage;

namespace Utendaji.Cli;

/// <summary>The instruments a store knows: the built-in ones, and custom ones stored with <c>survey instrument-import</c> (which win on the same id).</summary>
internal static class SurveyCatalog
{
    public static async Task<IReadOnlyDictionary<string, SurveyInstrument>> LoadAsync(IUtendajiStore store, CancellationToken cancellationToken)
    {
        var instruments = BuiltInInstruments.All.ToDictionary(i => i.Id, StringComparer.Ordinal);
        foreach (var document in await store.GetConfigAsync(ConfigKind.SurveyInstrument, cancellationToken))
        {
            instruments[document.Name] = Parse(document.Json, $"stored instrument '{document.Name}'");
        }

        return instruments;
    }

    /// <summary>Parses an instrument or throws a <see cref="CliException"/> listing every error.</summary>
    public static SurveyInstrument Parse(string json, string source) => Check(InstrumentJson.Parse(json, source));

    /// <summary>The parsed instrument, or a <see cref="CliException"/> listing every error.</summary>
    public static SurveyInstrument Check(InstrumentParseResult result) =>
        result.Success
            ? result.Instrument!
            : throw new CliException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
}
