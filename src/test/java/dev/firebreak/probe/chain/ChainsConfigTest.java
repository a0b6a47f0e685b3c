package dev.firebreak.probe.chain;

import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.config.EnvironmentVariables;
import dev.firebreak.kernel.Secret;
import dev.firebreak.config.YamlReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChainsConfigTest {

    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private static ChainsConfig load(Path root, Path file, Map<String, String> env, List<ConfigProblem> problems) {
        return new YamlReader(new EnvironmentVariables(env), root).read(file, ChainsConfig.class, problems).orElse(null);
    }

    @Test
    void changing_one_contract_keeps_the_safes_and_timelocks() {
        ChainsConfig shipped = new dev.firebreak.config.ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load().chains();
        assertThat(shipped.timelocks()).isNotEmpty();
        ChainsConfig changed = shipped.withContract("pilOrchestrator", shipped.contracts().get("pilOrchestrator").viaSafe("pilSafe"));
        assertThat(changed.contracts().get("pilOrchestrator").via().safe()).isEqualTo("pilSafe");
        assertThat(changed.timelocks()).isEqualTo(shipped.timelocks());
        assertThat(changed.safes()).isEqualTo(shipped.safes());
        assertThat(changed.contracts().keySet()).isEqualTo(shipped.contracts().keySet());
    }

    @Test
    void the_example_configuration_loads_with_defaults_and_has_no_problems() {
        Path root = Path.of("").toAbsolutePath();
        List<ConfigProblem> problems = new ArrayList<>();
        ChainsConfig config = load(root, root.resolve("bot/chains.yaml"),
                Map.of("FIREBREAK_GUARDIAN_KEY", KEY, "FIREBREAK_FUNDER_KEY", KEY), problems);
        assertThat(problems).isEmpty();
        assertThat(config.problems()).isEmpty();
        assertThat(config.chains().get("devnet").rpcUrls()).containsExactly("http://127.0.0.1:8545", "http://127.0.0.1:8545");
        assertThat(config.accounts().get("batcher").warningBelowEth()).isEqualByComparingTo("1");
        assertThat(config.limits().topUp().allowList()).contains("batcher", "proposer");
        assertThat(config.signers().get("guardian").key().reveal()).isEqualTo(KEY);
        assertThat(config.toString()).doesNotContain(KEY.substring(2));
        var withKey = new ChainsConfig.ChainSpec(List.of("https://base-mainnet.example.com/v2/SECRETAPIKEY"), 8453, 1, 60, 1000, null, null, null);
        assertThat(withKey.toString()).contains("base-mainnet.example.com").doesNotContain("SECRETAPIKEY");
    }

    @Test
    void without_signer_keys_the_configuration_still_loads_for_diagnostics() {
        Path root = Path.of("").toAbsolutePath();
        List<ConfigProblem> problems = new ArrayList<>();
        ChainsConfig config = load(root, root.resolve("bot/chains.yaml"), Map.of(), problems);
        assertThat(problems).isEmpty();
        assertThat(config.problems()).isEmpty();
        assertThat(config.signers().get("guardian").key().isPresent()).isFalse();
    }

    @Test
    void a_signer_key_can_come_from_a_file_and_unknown_keys_are_reported(@TempDir Path dir) throws IOException {
        Path keyFile = Files.writeString(dir.resolve("guardian.key"), KEY + "\n");
        Path file = Files.writeString(dir.resolve("chains.yaml"), """
                chains:
                  l1: {rpcUrls: ["http://127.0.0.1:8545"], chainId: 1, confirmations: 2, stallAfterSeconds: 30}
                signers:
                  guardian: {key: "file:%s"}
                contracts:
                  oracle: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", reads: ["paused()(bool)"], abi: []}
                """.formatted(keyFile));
        List<ConfigProblem> problems = new ArrayList<>();
        ChainsConfig config = load(dir, file, Map.of(), problems);
        assertThat(config.signers().get("guardian").key().reveal()).isEqualTo(KEY);
        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().toString()).contains("unknown key 'abi'");
    }

    @Test
    void problems_name_the_path_what_is_wrong_and_how_to_fix_it() {
        var chain = new ChainsConfig.ChainSpec(List.of(), 0, 0, null, null, null, null, null);
        var config = new ChainsConfig(
                Map.of("l1", chain),
                Map.of("batcher", new ChainsConfig.AccountSpec("l2", "0x12", new BigDecimal("1"), new BigDecimal("2"))),
                Map.of("oracle", new ChainsConfig.ContractSpec("l1", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                        List.of("paused()", "broken(("), List.of("Paused(address[] who)"), List.of("pause()"), "nobody")),
                Map.of("guardian", new ChainsConfig.SignerSpec(new Secret("env GUARDIAN_KEY", "0xnot-a-key-SECRETPART"))),
                new ChainsConfig.ActionLimits(new ChainsConfig.ActionLimits.TopUp("funder", List.of("ghost"), null)));
        assertThat(config.problems()).containsExactlyInAnyOrder(
                "chains.l1.rpcUrls: empty; list at least one RPC URL, the preferred one first",
                "chains.l1.chainId: missing; set the chain id the RPC must report, e.g. 8453 for Base",
                "chains.l1.confirmations: 0 is below 1; use 1 or more",
                "accounts.batcher.chain: unknown chain 'l2'; use one of [l1]",
                "accounts.batcher.address: '0x12' is not an address; use 0x followed by 40 hex digits",
                "accounts.batcher.criticalBelowEth: above warningBelowEth; the critical threshold must be the lower one",
                "contracts.oracle.reads[0]: 'paused()' has no return types; write it as name(args)(returns), e.g. paused()(bool)",
                "contracts.oracle.reads[1]: 'broken((' is not a function signature; write it as name(type,...)(returns), e.g. hasRole(bytes32,address)(bool)",
                "contracts.oracle.events[0]: type 'address[]' in 'Paused(address[] who)' is not supported; use address, bool, string, bytes, bytesN, uintN or intN",
                "contracts.oracle.signer: unknown signer 'nobody'; use one of [guardian]",
                "signers.guardian.key: not a private key (env GUARDIAN_KEY); give 32 bytes as 64 hex digits",
                "limits.topUp.signer: unknown signer 'funder'; use one of [guardian]",
                "limits.topUp.capEth: missing or not positive; set the most ETH one top-up may send, e.g. 5",
                "limits.topUp.allowList: unknown account 'ghost'; list account names from accounts:");
    }

    @Test
    void a_safe_and_the_contracts_that_go_through_it_are_checked(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("chains.yaml"), """
                chains:
                  l1: {rpcUrls: ["http://127.0.0.1:8545"], chainId: 1}
                  l2: {rpcUrls: ["http://127.0.0.1:9545"], chainId: 10}
                signers:
                  relayer: {key: ""}
                safes:
                  ops: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", version: 1.4.1}
                  broken: {chain: l1, address: "0x12", version: "0.9", signingWindow: 0s}
                contracts:
                  oracle: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", actions: ["pause()"], signer: relayer,
                           via: {safe: ops}}
                  bridge: {chain: l2, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", actions: ["pause()"], signer: relayer,
                           via: {safe: ops}}
                  vault: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", actions: ["pause()"], signer: relayer,
                          via: {safe: treasury}}
                """);
        List<ConfigProblem> problems = new ArrayList<>();
        ChainsConfig config = load(dir, file, Map.of(), problems);
        assertThat(problems).isEmpty();
        assertThat(config.safes().get("ops").signingWindow()).hasHours(1);
        assertThat(config.contracts().get("oracle").via().safe()).isEqualTo("ops");
        assertThat(config.problems()).containsExactlyInAnyOrder(
                "contracts.bridge.via.safe: Safe 'ops' is on chain 'l1', the contract on 'l2'; name a Safe on the contract's chain",
                "contracts.vault.via.safe: unknown Safe 'treasury'; use one of [broken, ops] or add it under safes:",
                "safes.broken.address: '0x12' is not an address; use the Safe's address, 0x followed by 40 hex digits",
                "safes.broken.version: '0.9' is not a Safe version; give the one the Safe's VERSION() returns, e.g. 1.4.1",
                "safes.broken.signingWindow: must be positive; e.g. 1h, how long owners have to sign after the chat approval");
    }

    @Test
    void a_via_may_name_the_functions_it_covers_and_only_actions_of_the_contract(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("chains.yaml"), """
                chains:
                  l1: {rpcUrls: ["http://127.0.0.1:8545"], chainId: 1}
                signers:
                  relayer: {key: ""}
                safes:
                  ops: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", version: 1.4.1}
                contracts:
                  oracle: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", actions: ["pause()", "unpause()"],
                           signer: relayer, via: {safe: ops, functions: [pause()]}}
                  vault: {chain: l1, address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", actions: ["pause()"], signer: relayer,
                          via: {safe: ops, functions: ["unpause()", "pause("]}}
                """);
        List<ConfigProblem> problems = new ArrayList<>();
        ChainsConfig config = load(dir, file, Map.of(), problems);
        assertThat(problems).isEmpty();
        ChainsConfig.Via via = config.contracts().get("oracle").via();
        assertThat(via.functions()).containsExactly("pause()");
        assertThat(via.covers("pause()")).isTrue();
        assertThat(via.covers("unpause()")).as("sent by the signer, not through the Safe").isFalse();
        assertThat(new ChainsConfig.Via("ops", null).covers("unpause()")).as("no functions: every action").isTrue();
        assertThat(config.problems()).hasSize(2).anySatisfy(p -> assertThat(p)
                .startsWith("contracts.vault.via.functions: 'unpause()' is not one of the contract's actions [pause()]"))
                .anySatisfy(p -> assertThat(p).startsWith("contracts.vault.via.functions: 'pause(' is not a function signature"));
    }
}
