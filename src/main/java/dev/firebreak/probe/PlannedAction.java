package dev.firebreak.probe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.firebreak.kernel.Message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * An action reduced to its canonical form: every value that decides what will happen
 * (environment, service, path, body; or chain id, target, function, encoded arguments, value),
 * as sorted key/value strings. Its {@link #hash()} is what approvers approve.
 *
 * @param action    the action's name as configured, e.g. {@code anchor-retry}
 * @param canonical the deciding values; nothing secret (tokens are looked up at execution)
 * @param preview   the human-readable form shown on the approval request
 */
public record PlannedAction(String action, Map<String, String> canonical, Message preview) {

    private static final ObjectMapper CANONICAL_JSON =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    public PlannedAction {
        canonical = Map.copyOf(new TreeMap<>(canonical));
    }

    /** Sorted-key JSON of the action name and its canonical values. */
    public String canonicalJson() {
        Map<String, Object> document = new TreeMap<>();
        document.put("action", action);
        document.put("params", new TreeMap<>(canonical));
        try {
            return CANONICAL_JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of {@link #canonicalJson()}, hex encoded. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
