package dev.firebreak.demo.chain;

import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.config.EnvironmentVariables;
import dev.firebreak.config.YamlReader;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Bytes4;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A devnet for the demo and the tests: anvil (see {@link ChainTools}) on a free port, the Solidity
 * fixtures deployed and exercised (commitments, outputs, a committed and an activated manifest root),
 * and an op-node stand-in. {@link #start()} gives a throw-away chain; {@link #keptIn} one that carries
 * on across runs. {@link #env()} gives the values that {@code bot/chains.yaml} reads; {@link #close()}
 * stops everything.
 */
public final class DemoChain implements AutoCloseable {

    public static final long CHAIN_ID = 31337;

    /** anvil's well-known development keys: public knowledge, never use them elsewhere. */
    static final String GUARDIAN_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    static final String PROPOSER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    static final String BATCHER_KEY = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    static final String SEQUENCER_KEY = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
    static final String FUNDER_KEY = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

    /** The contracts the guardian deploys, in the order it deploys them (its nonces 0 to 3). */
    private static final List<String> CONTRACTS = List.of("setRegistry", "l2OutputOracle", "manifestDispatcher", "pilOrchestrator");

    private final ChainTools tools;
    private final Process anvil;
    private final String rpcUrl;
    private final DevnetRpc rpc;
    private final OpNodeStandIn opNode;
    private final Web3j web3j;

    private final Map<String, String> addresses = new LinkedHashMap<>();
    private boolean resumed;

    private DemoChain(ChainTools tools, Process anvil, String rpcUrl) {
        this.tools = tools;
        this.anvil = anvil;
        this.rpcUrl = rpcUrl;
        this.rpc = new DevnetRpc(rpcUrl);
        this.web3j = Web3j.build(new HttpService(rpcUrl));
        this.opNode = new OpNodeStandIn(rpc);
        addresses.put("guardian", Credentials.create(GUARDIAN_KEY).getAddress());
        addresses.put("proposer", Credentials.create(PROPOSER_KEY).getAddress());
        addresses.put("batcher", Credentials.create(BATCHER_KEY).getAddress());
        addresses.put("sequencer", Credentials.create(SEQUENCER_KEY).getAddress());
        addresses.put("funder", Credentials.create(FUNDER_KEY).getAddress());
        addresses.putAll(DemoSafe.owners());
    }

    /** Starts anvil from genesis, deploys the fixtures and the op-node stand-in; nothing is kept. */
    public static DemoChain start() {
        ChainTools tools = ChainTools.locate();
        return deployed(tools, compile(tools), null);
    }

    /**
     * As {@link #start()}, with the chain kept in {@code stateFile} (anvil's {@code --state}, written
     * when anvil stops): the first start deploys the fixtures, later ones find them again and carry on
     * where the chain stopped ({@link #resumed()}). A state file that anvil cannot load, or that does
     * not hold the fixtures, is replaced by a fresh chain, and {@link Resumption#refused} says why.
     */
    public static Resumption keptIn(Path stateFile) {
        ChainTools tools = ChainTools.locate();
        CompiledFixtures fixtures = compile(tools);
        if (!Files.exists(stateFile)) return new Resumption(deployed(tools, fixtures, stateFile), null);
        String problem;
        try {
            DemoChain chain = launch(tools, stateFile);
            problem = chain.findFixtures();
            if (problem == null) {
                chain.resumed = true;
                return new Resumption(chain, null);
            }
            chain.close();
        } catch (IllegalStateException e) {
            problem = "anvil could not load it (" + e.getMessage() + ")";
        }
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot remove " + stateFile + ": " + e.getMessage(), e);
        }
        return new Resumption(deployed(tools, fixtures, stateFile), problem);
    }

    /** A chain from {@link #keptIn}; {@code refused} is why a kept state could not be resumed, null when it was or there was none. */
    public record Resumption(DemoChain chain, String refused) {}

    private static CompiledFixtures compile(ChainTools tools) {
        try {
            return CompiledFixtures.load(tools);
        } catch (IOException e) {
            throw new IllegalStateException("cannot compile the demo contracts: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling the fixtures", e);
        }
    }

    private static DemoChain deployed(ChainTools tools, CompiledFixtures fixtures, Path stateFile) {
        DemoChain chain = launch(tools, stateFile);
        try {
            chain.deploy(fixtures);
        } catch (RuntimeException | IOException e) {
            chain.close();
            throw new IllegalStateException("cannot deploy the demo fixtures: " + e.getMessage(), e);
        }
        return chain;
    }

    /** Starts anvil on a free port, from {@code stateFile} when it is given and exists, and waits until it answers. */
    private static DemoChain launch(ChainTools tools, Path stateFile) {
        Process process;
        int port;
        try {
            port = freePort();
            List<String> command = new ArrayList<>(List.of(tools.anvil().toString(), "--port", String.valueOf(port),
                    "--chain-id", String.valueOf(CHAIN_ID), "--silent"));
            if (stateFile != null) command.addAll(List.of("--state", stateFile.toAbsolutePath().toString()));
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start anvil (" + tools.anvil() + "): " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process)));
        String url = "http://127.0.0.1:" + port;
        awaitReady(process, new DevnetRpc(url));
        return new DemoChain(tools, process, url);
    }

    /** The fixtures' addresses on a kept chain, from the guardian's deployment nonces; null when all are there, else what is missing. */
    private String findFixtures() {
        Map<String, String> found = fixtureAddresses();
        for (Map.Entry<String, String> contract : found.entrySet()) {
            if ("0x".equals(rpc.call("eth_getCode", contract.getValue(), "latest").asText("0x"))) {
                return "it holds no " + contract.getKey() + " contract at " + contract.getValue();
            }
        }
        addresses.putAll(found);
        String safe = DemoSafe.address(this);
        if (safe == null || "0x".equals(rpc.call("eth_getCode", safe, "latest").asText("0x"))) return "it holds no demo Safe";
        addresses.put("pilSafe", safe);
        String timelock = DemoTimelock.address();
        if ("0x".equals(rpc.call("eth_getCode", timelock, "latest").asText("0x"))) return "it holds no demo timelock";
        addresses.put("pilTimelock", timelock);
        return null;
    }

    private Map<String, String> fixtureAddresses() {
        Map<String, String> found = new LinkedHashMap<>();
        for (int nonce = 0; nonce < CONTRACTS.size(); nonce++) {
            found.put(CONTRACTS.get(nonce), ContractUtils.generateContractAddress(address("guardian"), BigInteger.valueOf(nonce)));
        }
        return found;
    }

    private static void awaitReady(Process process, DevnetRpc rpc) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException("anvil exited with " + process.exitValue());
            try {
                rpc.call("eth_chainId");
                return;
            } catch (IllegalStateException notYet) {
                Thread.onSpinWait();
                try {
                    process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("anvil did not answer within 20 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void deploy(CompiledFixtures fixtures) throws IOException {
        Credentials guardian = Credentials.create(GUARDIAN_KEY);
        Credentials proposer = Credentials.create(PROPOSER_KEY);
        Credentials batcher = Credentials.create(BATCHER_KEY);
        Credentials sequencer = Credentials.create(SEQUENCER_KEY);

        String registry = create(guardian, fixtures.bytecode("SetRegistry"));
        String oracle = create(guardian, fixtures.bytecode("L2OutputOracle")
                + FunctionEncoder.encodeConstructor(List.of(new Address(proposer.getAddress()))));
        String dispatcher = create(guardian, fixtures.bytecode("ManifestDispatcher"));
        String orchestrator = create(guardian, fixtures.bytecode("PILOrchestrator"));
        addresses.put("setRegistry", registry);
        addresses.put("l2OutputOracle", oracle);
        addresses.put("manifestDispatcher", dispatcher);
        addresses.put("pilOrchestrator", orchestrator);
        if (!fixtureAddresses().equals(Map.of("setRegistry", registry, "l2OutputOracle", oracle,
                "manifestDispatcher", dispatcher, "pilOrchestrator", orchestrator))) {
            throw new IllegalStateException("the fixtures were not deployed in CONTRACTS order, so a kept chain would not find them");
        }

        send(guardian, registry, call("setSequencerAuthorization", new Address(sequencer.getAddress()), new Bool(true)));
        for (int i = 1; i <= 3; i++) send(sequencer, registry, call("commit", bytes32("commitment-" + i)));
        for (int i = 1; i <= 2; i++) send(proposer, oracle, call("proposeL2Output", bytes32("output-" + i), new Uint256(i * 1800L)));
        send(guardian, dispatcher, call("commitRoot", bytes32("manifest-1")));
        send(guardian, dispatcher, call("activateCommittedRoot"));
        send(guardian, dispatcher, call("commitRoot", bytes32("manifest-2")));
        send(guardian, dispatcher, call("reportCodehash", new Bytes4(Numeric.hexStringToByteArray("0x8456cb59")),
                bytes32("want"), bytes32("got")));
        addresses.put("pilSafe", DemoSafe.deploy(this, tools));
        // the PIL's unpause goes through the timelock (seed 003's emergency delay), which the Safe proposes to and executes on
        String timelock = DemoTimelock.deploy(this, tools, DemoTimelock.MIN_DELAY, address("pilSafe"));
        if (!timelock.equalsIgnoreCase(DemoTimelock.address())) throw new IllegalStateException("the demo timelock is not where a kept chain looks");
        addresses.put("pilTimelock", timelock);
        send(guardian, orchestrator, call("grantRole", new Bytes32(new byte[32]), new Address(timelock)));
        // the PIL orchestrator holds 2 ETH, above seed 003's contract-balance warning line of 1 ETH
        rpc.call("anvil_setBalance", orchestrator, "0x" + new BigDecimal("2").movePointRight(18).toBigInteger().toString(16));
        // the batcher runs low (below the 1 ETH warning line), as in seed 002's P1
        rpc.call("anvil_setBalance", batcher.getAddress(), "0x" + new BigDecimal("0.5").movePointRight(18).toBigInteger().toString(16));
    }

    private static Function call(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return new Function(name, List.of(args), List.of());
    }

    private static Bytes32 bytes32(String text) {
        return new Bytes32(Hash.sha3(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private String create(Credentials from, String bytecode) throws IOException {
        TransactionReceipt receipt = transact(from, "", bytecode);
        return receipt.getContractAddress();
    }

    private void send(Credentials from, String to, Function function) throws IOException {
        transact(from, to, FunctionEncoder.encode(function));
    }

    private TransactionReceipt transact(Credentials from, String to, String data) throws IOException {
        return transact(from, to, data, 3_000_000);
    }

    TransactionReceipt transact(Credentials from, String to, String data, long gas) throws IOException {
        BigInteger nonce = web3j.ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
        RawTransaction tx = RawTransaction.createTransaction(CHAIN_ID, nonce, BigInteger.valueOf(gas), to,
                BigInteger.ZERO, data, BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(100_000_000_000L));
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, CHAIN_ID, from));
        var sent = web3j.ethSendRawTransaction(raw).send();
        if (sent.hasError()) throw new IOException("transaction failed: " + sent.getError().getMessage());
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            var receipt = web3j.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                if (!receipt.get().isStatusOK()) throw new IOException("transaction " + sent.getTransactionHash() + " reverted");
                return receipt.get();
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
        throw new IOException("no receipt for " + sent.getTransactionHash() + " within 10 s");
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    public long chainId() {
        return CHAIN_ID;
    }

    /** Whether this chain carried on from a kept state ({@link #keptIn}) rather than starting from genesis. */
    public boolean resumed() {
        return resumed;
    }

    public OpNodeStandIn opNode() {
        return opNode;
    }

    /** JSON-RPC to anvil for fault injection in tests: {@code evm_setAutomine}, {@code anvil_mine}, ... */
    public DevnetRpc rpc() {
        return rpc;
    }

    /** The key of a demo Safe owner (owner1 to owner3): anvil's public development keys, for signing in the demo and tests. */
    public String safeOwnerKey(String owner) {
        int index = List.copyOf(DemoSafe.owners().keySet()).indexOf(owner);
        if (index < 0) throw new IllegalArgumentException("no demo Safe owner " + owner + "; known: " + DemoSafe.owners().keySet());
        return DemoSafe.OWNER_KEYS.get(index);
    }

    /**
     * Deploys another TimelockController (the npm release's) with {@code proposer} as its proposer and
     * executor, for tests of a timelock whose proposer is a key rather than the demo Safe.
     */
    public String deployTimelock(java.time.Duration minDelay, String proposer) {
        try {
            return DemoTimelock.deploy(this, tools, minDelay, proposer);
        } catch (IOException e) {
            throw new IllegalStateException("cannot deploy a timelock: " + e.getMessage(), e);
        }
    }

    /**
     * Lets the demo Safe pause the PIL orchestrator: grants it PAUSER_ROLE from the guardian unless it
     * holds it already (a kept chain does), so this runs at every start. Its unpause needs
     * DEFAULT_ADMIN_ROLE, which the demo timelock holds from the deployment. The guardian keeps its
     * own roles: the other runbooks' actions on the orchestrator (role changes) are still sent by it.
     */
    public void letSafePause() {
        String safe = address("pilSafe");
        String orchestrator = address("pilOrchestrator");
        Bytes32 role = new Bytes32(Hash.sha3("PAUSER_ROLE".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String held = rpc.call("eth_call", Map.of("to", orchestrator, "data",
                FunctionEncoder.encode(call("hasRole", role, new Address(safe)))), "latest").asText();
        if (new BigInteger(Numeric.cleanHexPrefix(held).isEmpty() ? "0" : Numeric.cleanHexPrefix(held), 16).signum() != 0) return;
        try {
            send(Credentials.create(GUARDIAN_KEY), orchestrator, call("grantRole", role, new Address(safe)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot grant the demo Safe PAUSER_ROLE on the PIL orchestrator: " + e.getMessage(), e);
        }
    }

    /** Deployed contracts and the demo's well-known accounts, by name. */
    public Map<String, String> addresses() {
        return Map.copyOf(addresses);
    }

    public String address(String name) {
        String address = addresses.get(name);
        if (address == null) throw new IllegalArgumentException("no demo address " + name + "; known: " + addresses.keySet());
        return address;
    }

    /** The environment values {@code bot/chains.yaml} reads, e.g. {@code FIREBREAK_L1_RPC_URL}. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FIREBREAK_CHAIN_RPC_URL", rpcUrl);
        env.put("FIREBREAK_CHAIN_ID", String.valueOf(CHAIN_ID));
        env.put("FIREBREAK_OP_NODE_URL", opNode.url());
        env.put("FIREBREAK_SET_REGISTRY", address("setRegistry"));
        env.put("FIREBREAK_L2_OUTPUT_ORACLE", address("l2OutputOracle"));
        env.put("FIREBREAK_MANIFEST_DISPATCHER", address("manifestDispatcher"));
        env.put("FIREBREAK_PIL_ORCHESTRATOR", address("pilOrchestrator"));
        env.put("FIREBREAK_PIL_SAFE", address("pilSafe"));
        env.put("FIREBREAK_PIL_TIMELOCK", address("pilTimelock"));
        env.put("FIREBREAK_PIL_TIMELOCK_MIN_DELAY", DemoTimelock.MIN_DELAY.toMinutes() + "m");
        env.put("FIREBREAK_BATCHER_ADDRESS", address("batcher"));
        env.put("FIREBREAK_PROPOSER_ADDRESS", address("proposer"));
        env.put("FIREBREAK_SEQUENCER_ADDRESS", address("sequencer"));
        env.put("FIREBREAK_GUARDIAN_KEY", GUARDIAN_KEY);
        env.put("FIREBREAK_FUNDER_KEY", FUNDER_KEY);
        return env;
    }

    /** A configuration equivalent to {@code bot/chains.yaml} with {@link #env()} applied. */
    public ChainsConfig chainsConfig() {
        Path root = tools.directory().resolve("../../..").normalize();
        List<ConfigProblem> problems = new ArrayList<>();
        ChainsConfig config = new YamlReader(new EnvironmentVariables(env()), root)
                .read(root.resolve("bot/chains.yaml"), ChainsConfig.class, problems)
                .orElse(null);
        if (config == null || !problems.isEmpty()) {
            throw new IllegalStateException("bot/chains.yaml does not load: " + problems);
        }
        return config;
    }

    @Override
    public void close() {
        opNode.close();
        web3j.shutdown();
        stop(anvil);
    }

    /** SIGTERM first: anvil writes its {@code --state} file on the way out. */
    private static void stop(Process anvil) {
        anvil.destroy();
        try {
            if (!anvil.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) anvil.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            anvil.destroyForcibly();
        }
    }

    /** Runs the demo chain until Enter is pressed, printing the environment for {@code bot/chains.yaml}. */
    public static void main(String[] args) throws IOException {
        try (DemoChain chain = start()) {
            chain.env().forEach((key, value) -> System.out.println("export " + key + "=" + value));
            System.out.println("# demo chain running; press Enter to stop");
            System.in.read();
        }
    }
}
