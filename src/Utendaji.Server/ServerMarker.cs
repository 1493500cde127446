namespace Utendaji.Server;

/// <summary>Placeholder so the project builds before the server lands.</summary>
internal static class ServerMarker;
