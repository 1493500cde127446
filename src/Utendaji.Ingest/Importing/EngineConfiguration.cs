using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Utendaji.Core.Calendars;
using Utendaji.Core.Metrics;
using Utendaji.Core.Sla;
using Utendaji.Storage;

namespace Utendaji.Ingest.Importing;

/// <summary>
/// Builds the engine's <see cref="MetricContext"/> from the configuration kept in the store: calendars (with the
/// .ics files they include), SLA policies and metric options.
/// </summary>
public static class EngineConfiguration
{
    /// <summary>Name of the options document.</summary>
    public const string OptionsName = "metrics";

    /// <summary>The engine context from the store's calendars, holiday files, SLA policies and options, at <paramref name="now"/>.</summary>
    public static async Task<MetricContext> LoadAsync(IUtendajiStore store, Instant now, CancellationToken cancellationToken)
    {
        var holidayFiles = (await store.GetConfigAsync(ConfigKind.HolidayFile, cancellationToken))
            .ToDictionary(d => d.Name, d => d.Json, StringComparer.Ordinal);
        var calendars = new Dictionary<string, BusinessCalendar>(StringComparer.Ordinal);
        var teamCalendars = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in await store.GetConfigAsync(ConfigKind.Calendar, cancellationToken))
        {
            var definition = ParseCalendar(document.Json, $"stored calendar '{document.Name}'", name => holidayFiles.GetValueOrDefault(name));
            calendars[definition.Name] = BuildCalendar(definition, $"stored calendar '{document.Name}'");
            foreach (var team in definition.Teams)
            {
                teamCalendars[team] = definition.Name;
            }
        }

        var policies = new List<SlaPolicy>();
        foreach (var document in await store.GetConfigAsync(ConfigKind.SlaPolicy, cancellationToken))
        {
            policies.Add(ParseSlaPolicy(document.Json, $"stored SLA policy '{document.Name}'"));
        }

        var stored = (await store.GetConfigAsync(ConfigKind.Options, cancellationToken))
            .FirstOrDefault(d => d.Name == OptionsName);
        var options = stored is null ? StoredOptions.Default : StoredOptions.Parse(stored.Json);

        return new MetricContext
        {
            Calendars = calendars,
            TeamCalendars = teamCalendars,
            DefaultCalendar = options.DefaultCalendar is not null && calendars.ContainsKey(options.DefaultCalendar) ? options.DefaultCalendar : null,
            SlaPolicies = policies,
            Options = options.ToMetricOptions(),
            Now = now,
        };
    }

    /// <summary>Parses a calendar or throws a <see cref="ConfigurationException"/> listing every error.</summary>
    public static CalendarDefinition ParseCalendar(string json, string source, Func<string, string?> readIncludedFile)
    {
        var result = CalendarJson.Parse(json, source, readIncludedFile);
        if (!result.Success)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
        }

        return result.Definition!;
    }

    /// <summary>
    /// Builds the business calendar of <paramref name="definition"/> as every use does, or throws a
    /// <see cref="ConfigurationException"/>: the API and the CLI build it before storing, so a calendar that parses but
    /// cannot be built is refused instead of stored and then failing every later import.
    /// </summary>
    public static BusinessCalendar BuildCalendar(CalendarDefinition definition, string source)
    {
        try
        {
            return BusinessCalendar.FromDefinition(definition);
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            // Validation keeps every calendar within what the constructor computes; this is the defence behind it.
            throw new ConfigurationException($"{source}: the calendar cannot be computed: {e.Message}");
        }
    }

    /// <summary>Parses an SLA policy or throws a <see cref="ConfigurationException"/> listing every error.</summary>
    public static SlaPolicy ParseSlaPolicy(string json, string source)
    {
        var result = SlaPolicyJson.Parse(json, source);
        if (!result.Success)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
        }

        return result.Policy!;
    }
}

/// <summary>The metric choices a user set with <c>utendaji options</c>, stored as JSON.</summary>
public sealed record StoredOptions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    /// <summary>The options when none are stored.</summary>
    public static StoredOptions Default { get; } = new();

    /// <summary>How first-contact resolution is decided.</summary>
    public FirstContactDefinition FirstContact { get; init; } = FirstContactDefinition.OneTouch;

    /// <summary>Which agent a ticket is credited to.</summary>
    public CreditRule Credit { get; init; } = CreditRule.Solver;

    /// <summary>Calendar for tickets whose team no calendar names; null means 24×7.</summary>
    public string? DefaultCalendar { get; init; }

    /// <summary>Reads the stored JSON document.</summary>
    public static StoredOptions Parse(string json) =>
        JsonSerializer.Deserialize<StoredOptions>(json, Json) ?? Default;

    /// <summary>The JSON document to store.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The engine's options.</summary>
    public MetricOptions ToMetricOptions() => MetricOptions.Default with { FirstContact = FirstContact, Credit = Credit };
}
