using NodaTime;
using Utendaji.Core.Sla;

namespace Utendaji.Core.Tests.Sla;

public class SlaPolicyTests
{
    private static readonly SlaPolicy Policy = new()
    {
        Name = "p",
        Targets =
        [
            new SlaTarget { Priority = "high", FirstReply = Duration.FromHours(8), Order = 0 },
            new SlaTarget { Priority = "high", Channel = "chat", FirstReply = Duration.FromHours(4), Order = 1 },
            new SlaTarget { Priority = "high", Team = "billing", FirstReply = Duration.FromHours(2), Order = 2 },
            new SlaTarget { Priority = "high", Channel = "email", Team = "billing", FirstReply = Duration.FromHours(1), Order = 3 },
            new SlaTarget { Priority = "high", Channel = "chat", FirstReply = Duration.FromHours(3), Order = 4 },
        ],
    };

    [Theory]
    [InlineData("high", "email", "billing", 3)] // team and channel: most specific
    [InlineData("high", "chat", "support", 1)] // channel only; #4 is equally specific but later in the file
    [InlineData("high", "phone", "billing", 2)] // team only
    [InlineData("high", "chat", "billing", 1)] // channel (#1) and team (#2) tie at specificity 1: first in file
    [InlineData("HIGH", "Phone", null, 0)] // priority only; comparisons ignore case
    public void SelectTarget_MostSpecificThenFileOrder(string priority, string channel, string? team, int expectedOrder)
    {
        Assert.Equal(expectedOrder, Policy.SelectTarget(priority, channel, team)!.Order);
    }

    [Fact]
    public void SelectTarget_NoPriorityOrNoMatch_Null()
    {
        Assert.Null(Policy.SelectTarget(null, "chat", "billing"));
        Assert.Null(Policy.SelectTarget("low", "chat", "billing"));
    }

    [Fact]
    public void SlaPausesDefault_ResolutionPausesInPendingAndOnHoldOnly()
    {
        Assert.Equal([Tickets.TicketStatus.Pending, Tickets.TicketStatus.OnHold], SlaPauses.Default.Resolution.Order());
        Assert.Empty(SlaPauses.Default.FirstReply);
        Assert.Empty(SlaPauses.Default.NextReply);
    }
}
