using System.Text.Encodings.Web;
using System.Text.Json;

namespace Utendaji.Server.Api;

/// <summary>JSON written by the API itself: compact, and every script kept readable (it is JSON, never HTML).</summary>
internal static class ApiJson
{
    public static JsonWriterOptions Writer { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
