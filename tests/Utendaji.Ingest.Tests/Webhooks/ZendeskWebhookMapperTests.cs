using System.Text;
using System.Text.Json.Nodes;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Webhooks;

namespace Utendaji.Ingest.Tests.Webhooks;

public class ZendeskWebhookMapperTests
{
    private const string Ticket = "zendesk:4821";
    private const string Group = "7310000000301";

    [Fact]
    public void Map_TicketCreated_IsCreatedWithChannelPriorityTeamAndRequester()
    {
        var e = Single("ticket-created");

        WebhookFixtures.AssertSame(new TicketEvent("zendesk:0b5e2f3a-6c1d-4e8f-9a7b-1c2d3e4f5a60", Ticket,
            Instant.FromUtc(2026, 1, 5, 7, 22, 0).PlusNanoseconds(412_907_301), TicketEventType.Created, ActorKind.Customer,
            "7310000000101", true, "email", Group, "high", TicketStatus.New,
            new Dictionary<string, string> { ["customer"] = "7310000000101", ["assignee"] = "7310000000202" }), e);
    }

    [Fact]
    public void Map_TicketCreatedByAnAgent_ActorIsTheSubmittingAgent()
    {
        var e = Single("ticket-created-by-agent");

        Assert.Equal((TicketEventType.Created, ActorKind.Agent, "7310000000202", "phone"), (e.Type, e.ActorKind, e.ActorId, e.Channel));
        Assert.Equal("7310000000101", e.Attribute("customer"));
    }

    [Theory]
    [InlineData("comment-added-agent", TicketEventType.AgentReply, ActorKind.Agent, "7310000000202", true)]
    [InlineData("comment-added-customer", TicketEventType.CustomerReply, ActorKind.Customer, "7310000000101", true)]
    [InlineData("comment-added-private-note", TicketEventType.AgentReply, ActorKind.Agent, "7310000000202", false)]
    public void Map_CommentAdded_IsAReplyByTheAuthor(string fixture, TicketEventType type, ActorKind kind, string actor, bool isPublic)
    {
        var e = Single(fixture);

        Assert.Equal((type, kind, actor, isPublic, Ticket, Group), (e.Type, e.ActorKind, e.ActorId, e.Public, e.TicketId, e.Team));
        Assert.Null(e.Attributes); // the comment's text is not stored
    }

    [Fact]
    public void Map_OpeningDescriptionComment_IsIgnored()
    {
        var mapping = ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk("comment-added-description"));

        Assert.Equal(WebhookMappingStatus.Ignored, mapping.Status);
        Assert.Equal("the comment is the ticket's opening description, part of its creation", mapping.IgnoredReason);
        Assert.Empty(mapping.Events);
    }

    [Fact]
    public void Map_StatusChangedToSolved_IsStatusChangedByTheAgent()
    {
        var e = Single("status-changed-solved");

        Assert.Equal((TicketEventType.StatusChanged, TicketStatus.Solved, ActorKind.Agent, "7310000000202"), (e.Type, e.Status, e.ActorKind, e.ActorId));
        Assert.Equal(Instant.FromUtc(2026, 1, 5, 8, 30, 0).PlusNanoseconds(1), e.At);
    }

    [Fact]
    public void Map_SolvedBackToOpen_IsReopenedByTheRequester()
    {
        var e = Single("status-changed-reopened");

        Assert.Equal((TicketEventType.Reopened, TicketStatus.Open, ActorKind.Customer, "7310000000101"), (e.Type, e.Status, e.ActorKind, e.ActorId));
    }

    [Fact]
    public void Map_ClosedByAutomation_IsASystemStatusChange()
    {
        var e = Single("status-changed-by-automation");

        Assert.Equal((TicketEventType.StatusChanged, TicketStatus.Closed, ActorKind.System, (string?)null), (e.Type, e.Status, e.ActorKind, e.ActorId));
    }

    [Fact]
    public void Map_AgentAssignment_IsAssignedWithTheNewAssignee()
    {
        var e = Single("agent-assignment-changed");

        Assert.Equal((TicketEventType.Assigned, ActorKind.Agent, "7310000000303"), (e.Type, e.ActorKind, e.ActorId));
        Assert.Equal("7310000000202", e.Attribute("assignee")); // a JSON number, kept as written
    }

    [Fact]
    public void Map_PriorityChanged_IsLowerCased()
    {
        var e = Single("priority-changed");

        Assert.Equal((TicketEventType.PriorityChanged, "urgent"), (e.Type, e.Priority));
    }

    [Theory]
    [InlineData("user-created", "'zen:event-type:user.created' is not a ticket event")]
    [InlineData("tags-changed", "'zen:event-type:ticket.tags_changed' is not measured")]
    [InlineData("agent-unassigned", "the ticket was unassigned (no agent to credit)")]
    [InlineData("status-changed-deleted", "status 'DELETED' has no canonical status (deleted, archived and scrubbed tickets are not measured)")]
    public void Map_EventsNotMeasured_AreIgnoredWithAReason(string fixture, string reason)
    {
        var mapping = ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk(fixture));

        Assert.Equal(WebhookMappingStatus.Ignored, mapping.Status);
        Assert.Equal(reason, mapping.IgnoredReason);
        Assert.Empty(mapping.Issues);
    }

    [Fact]
    public void Map_Redelivery_GivesIdenticalEvents()
    {
        foreach (var name in WebhookFixtures.Names("zendesk"))
        {
            var first = ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk(name));
            var again = ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk(name));

            Assert.Equal(first.Status, again.Status);
            Assert.Equal(first.Events.Count, again.Events.Count);
            for (var i = 0; i < first.Events.Count; i++)
            {
                WebhookFixtures.AssertSame(first.Events[i], again.Events[i]);
            }
        }
    }

    [Fact]
    public void Map_EveryFixture_GivesEventsWithDistinctIdsThatPassCanonicalValidation()
    {
        var events = WebhookFixtures.Names("zendesk")
            .Select(name => ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk(name)))
            .Where(m => m.Status == WebhookMappingStatus.Mapped)
            .SelectMany(m => m.Events)
            .ToList();

        var rows = WebhookFixtures.RoundTrip(events);

        Assert.Equal(10, events.Count);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.All(rows, row => Assert.True(row.IsValid, string.Join("; ", row.Issues)));
        for (var i = 0; i < events.Count; i++)
        {
            WebhookFixtures.AssertSame(events[i], rows[i].Value!);
        }
    }

    [Fact]
    public void Map_TimeWithAnOffset_KeepsTheInstant()
    {
        var body = Mutate("priority-changed", root => root["time"] = "2026-01-05T10:50:00.25+03:00");

        var e = Assert.Single(ZendeskWebhookMapper.Map(body).Events);

        Assert.Equal(Instant.FromUtc(2026, 1, 5, 7, 50, 0).PlusNanoseconds(250_000_000), e.At);
    }

    [Fact]
    public void Map_MissingAndWrongFields_AreAllNamed()
    {
        var body = Mutate("comment-added-agent", root =>
        {
            root["time"] = "2026-01-05 07:40:15";
            root["detail"]!.AsObject().Remove("id");
            root["event"]!["comment"]!["is_public"] = "yes";
            root["event"]!["comment"]!["author"]!.AsObject().Remove("is_staff");
        });

        var mapping = ZendeskWebhookMapper.Map(body);

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Empty(mapping.Events);
        Assert.Equal(
        [
            "time: '2026-01-05 07:40:15' has no UTC offset",
            "detail.id: is required",
            "event.comment.is_public: 'yes' must be true or false",
            "event.comment.author.is_staff: is required",
        ], mapping.Issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Map_WithoutType_IsInvalid()
    {
        var mapping = ZendeskWebhookMapper.Map(Mutate("ticket-created", root => root.Remove("type")));

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Equal("type: is required", mapping.Issues[0].ToString());
    }

    [Fact]
    public void Map_StatusOutsideZendesksVocabulary_IsNamed()
    {
        var mapping = ZendeskWebhookMapper.Map(Mutate("ticket-created", root => root["detail"]!["status"] = "RESOLVED"));

        Assert.Equal("detail.status: 'RESOLVED' is not a Zendesk ticket status (new, open, pending, hold, solved, closed)", Assert.Single(mapping.Issues).ToString());
    }

    [Theory]
    [InlineData("", "is empty (expected a JSON object)")]
    [InlineData("[1,2]", "is not a JSON object")]
    [InlineData("{\"type\": \"zen:event-type:ticket.created\",}", "is not valid JSON (at line 1, byte 42)")]
    [InlineData("{\"type\": \"x\"} {\"type\": \"y\"}", "is not valid JSON (at line 1, byte 15)")]
    public void Map_MalformedBody_IsInvalid(string body, string reason)
    {
        var mapping = ZendeskWebhookMapper.Map(Encoding.UTF8.GetBytes(body));

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Equal(reason, Assert.Single(mapping.Issues).ToString());
    }

    [Fact]
    public void Map_InvalidUtf8_IsInvalid()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\": \"zen:event-type:ticket.created\", \"x\": \"caf\u00e9\"}");
        var latin1 = body.Where(b => b != 0xC3).Select(b => b == 0xA9 ? (byte)0xE9 : b).ToArray();

        Assert.Equal("is not valid UTF-8", Assert.Single(ZendeskWebhookMapper.Map(latin1).Issues).ToString());
    }

    [Theory]
    [InlineData("\\udc00")]
    [InlineData("731\\ud800")]
    public void Map_LoneSurrogateInAFieldRead_IsInvalidNamingIt(string groupId)
    {
        var json = Encoding.UTF8.GetString(WebhookFixtures.Zendesk("ticket-created"));
        var body = Encoding.UTF8.GetBytes(json.Replace("\"7310000000301\"", $"\"{groupId}\"", StringComparison.Ordinal));

        var mapping = ZendeskWebhookMapper.Map(body);

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Empty(mapping.Events);
        Assert.Equal(@"detail.group_id: is not valid text (a lone UTF-16 surrogate escape such as \ud800)", Assert.Single(mapping.Issues).ToString());
    }

    private static TicketEvent Single(string fixture)
    {
        var mapping = ZendeskWebhookMapper.Map(WebhookFixtures.Zendesk(fixture));
        Assert.True(mapping.Status == WebhookMappingStatus.Mapped, mapping.ToString());
        return Assert.Single(mapping.Events);
    }

    private static byte[] Mutate(string fixture, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(WebhookFixtures.Zendesk(fixture))!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
