package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.middleware.Middleware;
import com.slack.api.bolt.middleware.MiddlewareChain;
import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.EventRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Only the bot's own workspace (and Enterprise Grid organisation) may reach Firebreak. A slash
 * command from another workspace (a shared channel, another install) is refused with a private
 * answer saying so; an event from one is dropped. Both leave a log line naming the workspace.
 */
final class WorkspaceGuard implements Middleware {

    private static final Logger log = LoggerFactory.getLogger(WorkspaceGuard.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<BotIdentity> bot;

    WorkspaceGuard(Supplier<BotIdentity> bot) {
        this.bot = bot;
    }

    @Override
    @SuppressWarnings("rawtypes") // Bolt's Middleware interface uses the raw Request type
    public Response apply(Request req, Response resp, MiddlewareChain chain) throws Exception {
        BotIdentity ours = bot.get();
        if (req instanceof SlashCommandRequest command) {
            SlashCommandPayload payload = command.getPayload();
            if (foreign(ours, payload.getTeamId(), payload.getEnterpriseId())) {
                log.warn("Refused Slack command {} from workspace {}{}: this Firebreak serves workspace {} only",
                        payload.getCommand(), payload.getTeamId(), enterprise(payload.getEnterpriseId()), ours.teamId());
                return Response.json(200, JSON.writeValueAsString(Map.of("response_type", "ephemeral", "text",
                        "Firebreak is not available from this workspace: it serves only the workspace it is installed in. "
                                + "Run the command there.")));
            }
        } else if (req instanceof EventRequest event) {
            JsonNode body = JSON.readTree(event.getRequestBodyAsString());
            String team = body.path("team_id").asText("");
            String userTeam = body.path("event").path("user_team").asText("");
            String enterprise = body.path("enterprise_id").asText("");
            if (foreign(ours, team, enterprise) || !userTeam.isEmpty() && !userTeam.equals(ours.teamId())) {
                log.warn("Dropped a Slack {} event from workspace {}{}: this Firebreak serves workspace {} only",
                        body.path("event").path("type").asText("?"), userTeam.isEmpty() ? team : userTeam,
                        enterprise(enterprise), ours.teamId());
                return Response.ok();
            }
        }
        return chain.next(req);
    }

    /** Another workspace, or another Enterprise Grid organisation than the bot's. */
    private static boolean foreign(BotIdentity ours, String team, String enterprise) {
        if (team != null && !team.isBlank() && !team.equals(ours.teamId())) return true;
        return enterprise != null && !enterprise.isBlank() && !Objects.equals(enterprise, ours.enterpriseId());
    }

    private static String enterprise(String enterprise) {
        return enterprise == null || enterprise.isBlank() ? "" : " (organisation " + enterprise + ")";
    }
}
