package dev.firebreak.demo.chain;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.approval.ActionCommand;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.Execution;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo's pre-signed pause: two of the demo Safe's owners sign the PIL orchestrator's
 * {@code pause()} as a Safe transaction (EIP-712, as their wallets would, nothing sent), and it is
 * stored as {@code /action presigned add} stores one, through the engine's own add action, which
 * checks it like any other. It is signed for the Safe's nonce at the start, so it is ready at once;
 * any Safe transaction after that (a pause through the Safe, a timelock operation) uses that nonce
 * and makes it stale, as it would a real one, and {@code /diag presigned} says so. At the next
 * start, when no ready one is left for a Safe-held pause (and the orchestrator is not paused), the
 * stale one is removed (through {@code /action presigned remove}'s action) and a new one signed for
 * the Safe's nonce then. A pause signed ahead for a later nonce would not be ready until the Safe
 * got there, and could not be run in the meantime.
 */
public final class DemoPresignedPause {

    /** The name it is stored under. */
    public static final String NAME = "demo-pil-pause";
    /** The owners who sign it: two, the threshold. */
    static final List<String> SIGNERS = List.of("owner1", "owner2");

    private static final String PAUSE = "0x8456cb59";
    private static final String ZERO = "0x0000000000000000000000000000000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoPresignedPause() {}

    /**
     * Seeds it unless {@code /diag presigned} finds nothing missing; returns one line on what it did.
     * The actions and probes are the engine's, by name ({@code chain.presigned.add}, ...).
     */
    public static String seed(DemoChain chain, Map<String, Action> actions, Map<String, Probe> probes, IncidentTimeline timeline) {
        Probe overview = probes.get("chain.presigned");
        Action add = actions.get("chain.presigned.add");
        Action remove = actions.get("chain.presigned.remove");
        if (overview == null || add == null || remove == null) return "Pre-signed pause: not seeded (no pre-signed pause actions in this engine).";
        if (overview.run(Map.of()).status() == ProbeResult.Status.OK) {
            return "Pre-signed pause: nothing to seed; /diag presigned finds a ready one for every pause that goes through a Safe "
                    + "(or the contract is paused).";
        }
        try {
            run(remove, remove.plan(Map.of("name", NAME)), timeline);   // the stale one of an earlier run, if any
        } catch (InvalidInput none) {
            // nothing stored under the name
        }
        BigInteger nonce = uint(chain.rpc().call("eth_call", Map.of("to", chain.address("pilSafe"), "data", "0xaffed0e0"), "latest")
                .asText());
        String document = document(chain, nonce);
        try {
            ActionResult result = run(add, add.plan(Map.of("name", NAME, "json", document)), timeline);
            if (!result.succeeded()) return "Pre-signed pause: not seeded: " + result.summary() + ".";
        } catch (InvalidInput refused) {
            return "Pre-signed pause: not seeded: " + refused.getMessage();
        }
        return "Pre-signed pause " + NAME + ": pilOrchestrator.pause() through pilSafe at its nonce " + nonce + ", signed by "
                + String.join(" and ", SIGNERS) + " (/diag presigned lists it, /action presigned run " + NAME + " relays it).";
    }

    /**
     * An ungated direct run of the action, as {@code /action presigned add} and {@code remove} run,
     * on the audit log as theirs are (by Firebreak itself, the demo's start having asked).
     */
    private static ActionResult run(Action action, PlannedAction plan, IncidentTimeline timeline) {
        ActionResult result = action.execute(plan, Execution.ungated("demo-seed-" + plan.hash().substring(0, 16) + "-" + UUID.randomUUID()));
        timeline.record(java.util.Optional.empty(), plan.action(), ActionCommand.directRun(plan, result, BOT, false));
        return result;
    }

    /** Who the audit log names for what the demo's start does. */
    private static final String BOT = "firebreak";

    /** The Safe Transaction Service's JSON of the pause at {@code nonce}, with the owners' EIP-712 signatures. */
    static String document(DemoChain chain, BigInteger nonce) {
        String safe = chain.address("pilSafe");
        String to = chain.address("pilOrchestrator");
        String hash = chain.rpc().call("eth_call", Map.of("to", safe, "data", FunctionEncoder.encode(new Function("getTransactionHash",
                List.of(new Address(to), Uint256.DEFAULT, new DynamicBytes(Numeric.hexStringToByteArray(PAUSE)), new Uint8(0),
                        Uint256.DEFAULT, Uint256.DEFAULT, Uint256.DEFAULT, new Address(ZERO), new Address(ZERO), new Uint256(nonce)),
                List.of()))), "latest").asText();
        ByteArrayOutputStream signatures = new ByteArrayOutputStream();
        SIGNERS.stream().map(owner -> Credentials.create(chain.safeOwnerKey(owner)))
                .sorted(Comparator.comparing(c -> Numeric.toBigInt(c.getAddress())))
                .forEach(owner -> {
                    Sign.SignatureData signature = Sign.signMessage(Numeric.hexStringToByteArray(hash), owner.getEcKeyPair(), false);
                    signatures.writeBytes(signature.getR());
                    signatures.writeBytes(signature.getS());
                    signatures.writeBytes(signature.getV());
                });
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("safe", safe);
        fields.put("to", to);
        fields.put("value", "0");
        fields.put("data", PAUSE);
        fields.put("operation", 0);
        fields.put("safeTxGas", "0");
        fields.put("baseGas", "0");
        fields.put("gasPrice", "0");
        fields.put("gasToken", ZERO);
        fields.put("refundReceiver", ZERO);
        fields.put("nonce", nonce);
        fields.put("safeTxHash", hash);
        fields.put("signatures", Numeric.toHexString(signatures.toByteArray()));
        try {
            return JSON.writeValueAsString(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the demo's pre-signed pause: " + e.getMessage(), e);
        }
    }

    private static BigInteger uint(String hex) {
        String digits = Numeric.cleanHexPrefix(hex);
        return digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, 16);
    }
}
