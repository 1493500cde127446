using System.Text;
using System.Text.Json.Nodes;
using NodaTime;
using Utendaji.Core.Tickets;
using Utendaji.Ingest.Webhooks;

namespace Utendaji.Ingest.Tests.Webhooks;

public class ChatwootWebhookMapperTests
{
    private const string Ticket = "chatwoot:274";
    private const string Team = "Malipo";

    [Fact]
    public void Map_ConversationCreated_IsCreatedWithChannelPriorityTeamAndContact()
    {
        var e = Single("conversation-created");

        WebhookFixtures.AssertSame(new TicketEvent("chatwoot:274:created", Ticket, Instant.FromUtc(2026, 1, 5, 7, 22, 0),
            TicketEventType.Created, ActorKind.Customer, "5120", true, "chat", Team, "high", TicketStatus.Open,
            new Dictionary<string, string> { ["customer"] = "5120" }), e);
    }

    [Fact]
    public void Map_IncomingMessage_IsACustomerReply()
    {
        var e = Single("message-created-incoming");

        WebhookFixtures.AssertSame(new TicketEvent("chatwoot:message:90311", Ticket,
            Instant.FromUtc(2026, 1, 5, 7, 22, 1).PlusNanoseconds(350_000_000), TicketEventType.CustomerReply, ActorKind.Customer,
            "5120", true, null, Team, null, null, null), e);
    }

    [Fact]
    public void Map_OutgoingMessageByAnAgent_IsAPublicAgentReply_AtTheInstantOfItsOffset()
    {
        var e = Single("message-created-agent");

        Assert.Equal((TicketEventType.AgentReply, ActorKind.Agent, "12", true), (e.Type, e.ActorKind, e.ActorId, e.Public));
        Assert.Equal(Instant.FromUtc(2026, 1, 5, 7, 40, 12).PlusNanoseconds(904_000_000), e.At); // written as 10:40:12.904+03:00
    }

    [Fact]
    public void Map_PrivateNote_IsANonPublicAgentReply()
    {
        var e = Single("message-created-private-note");

        Assert.Equal((TicketEventType.AgentReply, ActorKind.Agent, false), (e.Type, e.ActorKind, e.Public));
    }

    [Theory]
    [InlineData("message-created-bot", "2")]
    [InlineData("message-created-automation", null)]
    public void Map_OutgoingMessageNotByAUser_IsABotReply(string fixture, string? actor)
    {
        var e = Single(fixture);

        Assert.Equal((TicketEventType.AgentReply, ActorKind.Bot, actor), (e.Type, e.ActorKind, e.ActorId));
    }

    [Fact]
    public void Map_Resolved_IsStatusChangedToSolved_AtUpdatedAtToTheMicrosecond()
    {
        var e = Single("conversation-status-changed-resolved");

        WebhookFixtures.AssertSame(new TicketEvent("chatwoot:274:status:resolved:1767603600.512731", Ticket,
            Instant.FromUtc(2026, 1, 5, 9, 0, 0).PlusNanoseconds(512_731_000), TicketEventType.StatusChanged, ActorKind.System, null,
            true, null, Team, null, TicketStatus.Solved, null), e);
    }

    [Fact]
    public void Map_TheSameChangeAsConversationUpdated_GivesTheSameEvent()
    {
        // Chatwoot sends conversation_updated beside conversation_status_changed for one status change.
        WebhookFixtures.AssertSame(Single("conversation-status-changed-resolved"), Single("conversation-updated-resolved"));
    }

    [Fact]
    public void Map_ResolvedBackToOpen_IsReopened()
    {
        var e = Single("conversation-status-changed-reopened");

        Assert.Equal((TicketEventType.Reopened, TicketStatus.Open), (e.Type, e.Status));
    }

    [Fact]
    public void Map_StatusChangeWithoutChangedAttributes_UsesTheCurrentStatus()
    {
        var e = Single("conversation-status-changed-snoozed-legacy");

        Assert.Equal((TicketEventType.StatusChanged, TicketStatus.Pending), (e.Type, e.Status));
    }

    [Fact]
    public void Map_AssigneeAndPriorityChanges_AreTwoEvents_TeamChangeCarriedAsTeam()
    {
        var mapping = ChatwootWebhookMapper.Map(WebhookFixtures.Chatwoot("conversation-updated-assignee-priority"));

        Assert.Equal(WebhookMappingStatus.Mapped, mapping.Status);
        Assert.Equal(2, mapping.Events.Count);
        var (assigned, priority) = (mapping.Events[0], mapping.Events[1]);
        Assert.Equal((TicketEventType.Assigned, "12", "chatwoot:274:assignee:12:1767598500.75"), (assigned.Type, assigned.Attribute("assignee"), assigned.Id));
        Assert.Equal((TicketEventType.PriorityChanged, "urgent", "chatwoot:274:priority:urgent:1767598500.75"), (priority.Type, priority.Priority, priority.Id));
        Assert.All(mapping.Events, e => Assert.Equal(Team, e.Team));
    }

    [Theory]
    [InlineData("contact-created", "'contact_created' is not measured")]
    [InlineData("message-created-activity", "message_type 'activity' is not a message between customer and agent")]
    [InlineData("conversation-updated-labels", "no measured attribute changed (status, assignee_id, priority)")]
    public void Map_EventsNotMeasured_AreIgnoredWithAReason(string fixture, string reason)
    {
        var mapping = ChatwootWebhookMapper.Map(WebhookFixtures.Chatwoot(fixture));

        Assert.Equal(WebhookMappingStatus.Ignored, mapping.Status);
        Assert.Equal(reason, mapping.IgnoredReason);
    }

    [Fact]
    public void Map_Redelivery_GivesIdenticalEvents()
    {
        foreach (var name in WebhookFixtures.Names("chatwoot"))
        {
            var first = ChatwootWebhookMapper.Map(WebhookFixtures.Chatwoot(name));
            var again = ChatwootWebhookMapper.Map(WebhookFixtures.Chatwoot(name));

            Assert.Equal(first.Status, again.Status);
            Assert.Equal(first.Events.Count, again.Events.Count);
            for (var i = 0; i < first.Events.Count; i++)
            {
                WebhookFixtures.AssertSame(first.Events[i], again.Events[i]);
            }
        }
    }

    [Fact]
    public void Map_EveryFixture_GivesEventsThatPassCanonicalValidation()
    {
        var events = WebhookFixtures.Names("chatwoot")
            .Where(name => name != "conversation-updated-resolved") // the same event as its status_changed twin
            .Select(name => ChatwootWebhookMapper.Map(WebhookFixtures.Chatwoot(name)))
            .Where(m => m.Status == WebhookMappingStatus.Mapped)
            .SelectMany(m => m.Events)
            .ToList();

        var rows = WebhookFixtures.RoundTrip(events);

        Assert.Equal(11, events.Count);
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        Assert.All(rows, row => Assert.True(row.IsValid, string.Join("; ", row.Issues)));
        for (var i = 0; i < events.Count; i++)
        {
            WebhookFixtures.AssertSame(events[i], rows[i].Value!);
        }
    }

    [Fact]
    public void Map_MissingAndWrongFields_AreAllNamed()
    {
        var body = Mutate("message-created-agent", root =>
        {
            root.Remove("id");
            root["created_at"] = "2026-01-05T10:40:12";
            root["private"] = "no";
            root["conversation"]!.AsObject().Remove("id");
        });

        var mapping = ChatwootWebhookMapper.Map(body);

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Equal(
        [
            "id: is required",
            "created_at: '2026-01-05T10:40:12' has no UTC offset",
            "private: 'no' must be true or false",
            "conversation.id: is required",
        ], mapping.Issues.Select(i => i.ToString()));
    }

    [Theory]
    [InlineData("message_type", "note", "message_type: 'note' is not a Chatwoot message type (incoming, outgoing, activity, template)")]
    [InlineData("created_at", "1.7e9", "created_at: '1.7e9' is not a date-time")]
    [InlineData("created_at", "9999-12-30T08:00:00Z", "created_at: '9999-12-30T08:00:00Z' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z")]
    public void Map_MessageValuesOutsideTheVocabulary_AreNamed(string field, string value, string issue)
    {
        var mapping = ChatwootWebhookMapper.Map(Mutate("message-created-incoming", root => root[field] = value));

        Assert.Equal(issue, Assert.Single(mapping.Issues).ToString());
    }

    [Fact]
    public void Map_UnknownStatus_AndBadChangedAttributes_AreNamed()
    {
        var unknown = ChatwootWebhookMapper.Map(Mutate("conversation-status-changed-snoozed-legacy", root => root["status"] = "closed"));
        var notArray = ChatwootWebhookMapper.Map(Mutate("conversation-updated-labels", root => root["changed_attributes"] = "status"));
        var noTime = ChatwootWebhookMapper.Map(Mutate("conversation-updated-labels", root => { root.Remove("updated_at"); root.Remove("timestamp"); }));

        Assert.Equal("status: 'closed' is not a Chatwoot conversation status (open, pending, snoozed, resolved)", Assert.Single(unknown.Issues).ToString());
        Assert.Equal("changed_attributes: must be an array", Assert.Single(notArray.Issues).ToString());
        Assert.Equal("timestamp: is required", Assert.Single(noTime.Issues).ToString());
    }

    [Fact]
    public void Map_UnixSecondsAsANumber_AreExact()
    {
        var e = Assert.Single(ChatwootWebhookMapper.Map(Mutate("message-created-incoming", root => root["created_at"] = JsonValue.Create(1767597721.000001m))).Events);

        Assert.Equal(Instant.FromUtc(2026, 1, 5, 7, 22, 1).PlusNanoseconds(1_000), e.At);
    }

    /// <summary>Unix seconds for 2200-01-01T00:00:00Z (7,258,118,400, as Python's datetime gives it): the first instant outside.</summary>
    [Fact]
    public void Map_UnixSecondsOutsideTheSupportedRange_AreNamed()
    {
        var mapping = ChatwootWebhookMapper.Map(Mutate("message-created-incoming", root => root["created_at"] = JsonValue.Create(7258118400L)));

        Assert.Empty(mapping.Events);
        Assert.Equal("created_at: '7258118400' is outside the supported range, 1900-01-01T00:00:00Z up to 2200-01-01T00:00:00Z", Assert.Single(mapping.Issues).ToString());
    }

    [Theory]
    [InlineData("{}", "event: is required")]
    [InlineData("{\"event\": \"message_created\"", "is not valid JSON (at line 1, byte 28)")]
    [InlineData("\"message_created\"", "is not a JSON object")]
    public void Map_MalformedBody_IsInvalid(string body, string reason)
    {
        var mapping = ChatwootWebhookMapper.Map(Encoding.UTF8.GetBytes(body));

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Equal(reason, Assert.Single(mapping.Issues).ToString());
    }

    [Fact]
    public void Map_LoneSurrogateInAFieldRead_IsInvalidNamingIt()
    {
        var body = Replace("conversation-created", "\"name\": \"Malipo\"", "\"name\": \"\\ud800\"");

        var mapping = ChatwootWebhookMapper.Map(body);

        Assert.Equal(WebhookMappingStatus.Invalid, mapping.Status);
        Assert.Empty(mapping.Events);
        Assert.Equal(@"meta.team.name: is not valid text (a lone UTF-16 surrogate escape such as \ud800)", Assert.Single(mapping.Issues).ToString());
    }

    [Fact]
    public void Map_LoneSurrogateOnlyInFieldsNotRead_StillMaps()
    {
        // A message body broken mid-emoji (a client cutting UTF-16 text) is not measured, so it must not cost the event.
        var body = Replace("message-created-incoming", "hayajaonekana.", "hayajaonekana \\ud83d");

        var mapping = ChatwootWebhookMapper.Map(body);

        Assert.Equal(WebhookMappingStatus.Mapped, mapping.Status);
        Assert.Equal(TicketEventType.CustomerReply, Assert.Single(mapping.Events).Type);
    }

    [Fact]
    public void Map_ChangedAttributeNamedWithALoneSurrogate_IsIgnoredLikeAnyUnknownAttribute()
    {
        var body = Replace("conversation-updated-assignee-priority", "{ \"team_id\":", "{ \"\\udc00\": 1, \"team_id\":");

        var mapping = ChatwootWebhookMapper.Map(body);

        Assert.Equal(WebhookMappingStatus.Mapped, mapping.Status);
        Assert.Equal([TicketEventType.Assigned, TicketEventType.PriorityChanged], mapping.Events.Select(e => e.Type));
    }

    [Fact]
    public void Map_SurrogatePairInATeamName_IsTheCharacter()
    {
        var body = Replace("conversation-created", "\"name\": \"Malipo\"", "\"name\": \"Malipo \\ud83d\\ude00\"");

        Assert.Equal("Malipo \U0001F600", Assert.Single(ChatwootWebhookMapper.Map(body).Events).Team);
    }

    private static byte[] Replace(string fixture, string text, string replacement)
    {
        var json = Encoding.UTF8.GetString(WebhookFixtures.Chatwoot(fixture));
        Assert.Contains(text, json, StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(json.Replace(text, replacement, StringComparison.Ordinal));
    }

    private static TicketEvent Single(string fixture)
    {
        var mapping = ChatwootWebhookMapper.Map(WebhookFixtures.Chatwoot(fixture));
        Assert.True(mapping.Status == WebhookMappingStatus.Mapped, mapping.ToString());
        return Assert.Single(mapping.Events);
    }

    private static byte[] Mutate(string fixture, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(WebhookFixtures.Chatwoot(fixture))!.AsObject();
        change(root);
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
