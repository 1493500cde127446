namespace Utendaji.Server.Tests;

public class PlaceholderTests
{
    [Fact]
    public void Server_assembly_loads() => Assert.Equal("Utendaji.Server", typeof(ServerMarker).Assembly.GetName().Name);
}
