package dev.firebreak.demo.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.approval.ApprovalRequest;
import dev.firebreak.approval.ApprovalService;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.chat.Reply;
import dev.firebreak.command.ArgSpec;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandFile;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.Outcome;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.kernel.InvalidInput;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code /demo sign A-N as owner2}, only in the demo: the demo Safe's owner signs the Safe
 * transaction behind an approval the way an owner's wallet does without a Transaction Service,
 * with {@code approveHash(safeTxHash)} sent on chain from the owner's own key. Firebreak then sees
 * the signature as it sees any owner's (it watches the Safe), posts the progress and relays
 * {@code execTransaction} once the threshold is met; the reply says where the count stands.
 * Nothing is sent for an unknown request, one with no Safe transaction, one the chat has not
 * approved yet or that is over, or an owner who already signed.
 */
public final class DemoSigning {

    /** The builtin {@code /demo sign} runs. */
    public static final String BUILTIN = "demo.sign";
    /** Where the demo's command is said to come from: not a file of {@code commands/}. */
    static final String SOURCE = "demo";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DemoChain chain;
    private final ApprovalService approvals;

    public DemoSigning(DemoChain chain, ApprovalService approvals) {
        this.chain = chain;
        this.approvals = approvals;
    }

    /** The demo's own command: {@code /demo sign REQUEST as OWNER}, for responders. */
    public static CommandRegistry commands() {
        List<String> owners = List.copyOf(DemoSafe.owners().keySet());
        CommandFile.Entry sign = new CommandFile.Entry("sign",
                "Sign the Safe transaction behind an approval as one of the demo Safe's owners (approveHash from that owner's key)",
                "responder", List.of(
                new ArgSpec("request", "word", "the approval request, e.g. A-3 (approved in chat, waiting for the owners)", null, null, null),
                new ArgSpec("as", "choice", "the word as", null, null, List.of("as")),
                new ArgSpec("owner", "choice", "the demo Safe's owner who signs", null, null, owners)),
                null, BUILTIN, null, null, null, null, null, null);
        CommandFile file = new CommandFile("demo", "The demo's own commands (only in ./firebreak demo)", List.of(sign),
                null, null, null, null, null, null, null, null, null, null);
        List<ConfigProblem> problems = new ArrayList<>();
        CommandRegistry registry = CommandRegistry.build(Map.of(SOURCE, file), problems);
        if (!problems.isEmpty()) throw new IllegalStateException("the demo's /demo command does not build: " + problems);
        return registry;
    }

    /** The handler of {@link #BUILTIN}. */
    public Map<String, CommandHandler> handlers() {
        return Map.of(BUILTIN, this::sign);
    }

    private Outcome sign(CommandContext ctx) {
        String ref = ctx.arg("request").strip();
        String owner = ctx.arg("owner");
        ApprovalRequest request = approvals.find(ref).orElseThrow(() -> new InvalidInput("There is no approval request " + ref
                + "; /action pending lists the ones waiting, and those approved in chat that wait for the owners."));
        Map<String, String> canonical = canonical(request);
        String safeTxHash = canonical.get("safeTxHash");
        String signers = canonical.get("safeSigners");
        if (safeTxHash == null || signers == null || canonical.containsKey("presigned")) {
            throw new InvalidInput(request.ref() + " (" + request.action() + ") has no Safe transaction for owners to sign: only "
                    + "actions that go through the demo Safe do (/action pause pilOrchestrator, /action schedule unpause "
                    + "pilOrchestrator, /action execute-scheduled ...). Nothing was signed.");
        }
        if (!chain.address("pilSafe").equalsIgnoreCase(canonical.get("safeAddress"))) {
            throw new InvalidInput(request.ref() + " goes through the Safe " + canonical.get("safe") + " at "
                    + canonical.get("safeAddress") + ", not the demo's Safe, whose owners' keys the demo holds. Nothing was signed.");
        }
        switch (request.state()) {
            case PENDING -> throw new InvalidInput(request.ref() + " is not approved in chat yet: its approvers react first "
                    + "(/action pending shows who can), then the owners sign. Nothing was signed.");
            case APPROVED, EXECUTING -> { }
            case SENT, SUCCEEDED -> throw new InvalidInput(request.ref() + " needs no more signatures: its Safe transaction was "
                    + "relayed already (" + request.state().name().toLowerCase(Locale.ROOT) + "). Nothing was signed.");
            default -> throw new InvalidInput(request.ref() + " is " + request.state().name().toLowerCase(Locale.ROOT)
                    + ", so its Safe transaction will not be relayed; request the action again. Nothing was signed.");
        }
        int threshold = Integer.parseInt(signers.substring(0, signers.indexOf(" of ")));
        List<String> owners = Arrays.asList(signers.substring(signers.indexOf(" of ") + 4).split(","));
        String address = chain.address(owner);
        if (!owners.contains(address.toLowerCase(Locale.ROOT))) {
            throw new InvalidInput(owner + " (" + address + ") is not among the owners " + request.ref() + " was approved with. "
                    + "Nothing was signed.");
        }
        if (approved(address, safeTxHash)) {
            throw new InvalidInput(owner + " already signed " + request.ref() + " (approveHash(" + safeTxHash + ") on the Safe); "
                    + "sign as another owner. Nothing was sent.");
        }
        TransactionReceipt receipt;
        try {
            receipt = chain.transact(Credentials.create(chain.safeOwnerKey(owner)), canonical.get("safeAddress"),
                    FunctionEncoder.encode(new Function("approveHash",
                            List.of(new Bytes32(Numeric.hexStringToByteArray(safeTxHash))), List.of())), 200_000);
        } catch (IOException e) {
            throw new InvalidInput(owner + "'s approveHash for " + request.ref() + " did not go through: " + e.getMessage());
        }
        long signed = owners.stream().filter(o -> approved(o, safeTxHash)).count();
        String count = signed + " of " + owners.size() + " owners";
        String next;
        if (signed >= threshold) {
            next = "threshold " + threshold + " met; " + (relayed(request.ref()) ? "Firebreak relayed execTransaction and checks the result"
                    : "Firebreak relays execTransaction at its next look at the Safe");
        } else {
            seen(request, signed);
            next = (threshold - signed) + " more needed: /demo sign " + request.ref() + " as " + unsigned(owners, safeTxHash);
        }
        return Outcome.done(Reply.privately(owner + " signed " + request.ref() + " (approveHash(" + safeTxHash + ") in "
                + receipt.getTransactionHash() + "): " + count + ", " + next + "."));
    }

    /**
     * Whether Firebreak, which watches the Safe, relayed the transaction (or gave up on it) within
     * {@link #RELAY_WAIT}: the console then shows the relay and its result right after this line.
     */
    private boolean relayed(String ref) {
        long deadline = System.nanoTime() + RELAY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ApprovalState state = approvals.find(ref).map(ApprovalRequest::state).orElse(ApprovalState.UNKNOWN);
            if (state != ApprovalState.APPROVED && state != ApprovalState.EXECUTING) return true;
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            if (Thread.currentThread().isInterrupted()) return false;
        }
        return false;
    }

    /**
     * Waits, up to {@link #RELAY_WAIT}, until Firebreak's look at the Safe counted {@code signed}
     * owners, so its progress ("2 of 3 owners signed") follows this line as a real signature's would.
     */
    private void seen(ApprovalRequest request, long signed) {
        long deadline = System.nanoTime() + RELAY_WAIT.toNanos();
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            boolean counted = approvals.waitingOnOthers().stream()
                    .filter(a -> a.request().id() == request.id())
                    .anyMatch(a -> a.waitingFor().what().startsWith(signed + " of "));
            if (counted) return;
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** How long {@code /demo sign} waits for Firebreak to relay once the threshold is met (it looks at the Safe every 2 s at most). */
    static final Duration RELAY_WAIT = Duration.ofSeconds(20);

    /** A demo owner who has not signed yet, by demo name. */
    private String unsigned(List<String> owners, String safeTxHash) {
        return DemoSafe.owners().entrySet().stream()
                .filter(e -> owners.contains(e.getValue().toLowerCase(Locale.ROOT)) && !approved(e.getValue(), safeTxHash))
                .map(Map.Entry::getKey).findFirst().orElse("another owner");
    }

    /** Whether {@code owner} approved the hash on the demo Safe ({@code approvedHashes(owner, hash) != 0}). */
    private boolean approved(String owner, String safeTxHash) {
        String data = FunctionEncoder.encode(new Function("approvedHashes", List.of(new Address(owner),
                new Bytes32(Numeric.hexStringToByteArray(safeTxHash))), List.of()));
        String result = chain.rpc().call("eth_call", Map.of("to", chain.address("pilSafe"), "data", data), "latest").asText("0x");
        String digits = Numeric.cleanHexPrefix(result);
        return !digits.isEmpty() && new BigInteger(digits, 16).signum() != 0;
    }

    /** The approved action's canonical form: {@code {"action": ..., "params": {...}}}, its params. */
    private static Map<String, String> canonical(ApprovalRequest request) {
        try {
            return JSON.convertValue(JSON.readTree(request.canonicalJson()).path("params"), new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidInput(request.ref() + " cannot be read as a chain action. Nothing was signed.");
        }
    }
}
