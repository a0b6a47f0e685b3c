package dev.firebreak.app;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.DemoEnvironment;
import dev.firebreak.incident.IncidentChannelNames;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The demo as {@code ./firebreak demo} runs it: the peers of {@link DemoEnvironment}, with the store
 * at {@link Main#DEMO_STORE} and the chain kept beside it, and {@link Main}'s console on the
 * configuration in this repository pointed at them.
 */
public final class LocalDemoLauncher implements DemoLauncher {

    @Override
    public int run(Path configRoot, boolean fresh) {
        System.err.println("Starting the demo: anvil with the contract fixtures, an op-node stand-in, a Kubernetes API with an "
                + "op-stack namespace, the sequencer's API and database ...");
        DemoEnvironment demo;
        try {
            demo = DemoEnvironment.keptWith(Main.DEMO_STORE, fresh, Clock.systemUTC());
        } catch (IllegalStateException e) {
            System.err.println("The demo could not start: " + e.getMessage());
            return 1;
        }
        try (demo) {
            // a block every 2 s, as an OP Stack sequencer makes them: the watchers see a live chain, not a stalled one
            demo.chain().rpc().call("evm_setIntervalMining", 2);
            FirebreakConfig config = Main.checked(configRoot, demo.env(System.getenv()), demo::configure).orElse(null);
            if (config == null) return 2;
            return Main.console(config, "jdbc:sqlite:" + Main.DEMO_STORE, continuity(demo, fresh)
                    + demo.sequencerDatabaseLine(config) + "\n" + """
                    Demo environment ready (chain id %1$d at %2$s). Try, one line at a time:
                      alice> /incident declare P0 L2 blocks stopped
                      alice #%3$s> /diag chain
                      alice #%3$s> /runbook run jeju-network-down cluster=mainnet l1=devnet l2=devnet
                      alice #%3$s> /action pause manifestDispatcher
                      bob #%3$s> react white_check_mark mN      (N: the number of the approval message)
                      carol #%3$s> react white_check_mark mN
                      alice #%3$s> /incident postmortem
                    The PIL orchestrator's pause goes through the demo Safe: after the chat's approvals, its owners sign
                    with /demo sign A-N as owner1 (then owner2); /diag presigned shows the pre-signed pause, and the
                    README's "Safe and timelock" walks the whole path.
                    The watchers of bot/watchers.yaml check the demo every 15 s: /diag watchers shows them.
                    /runbook list shows every runbook; /help shows every command; afterwards
                    ./firebreak audit verify --demo checks this demo's audit log.
                    """.formatted(demo.chain().chainId(), demo.chain().rpcUrl(),
                    IncidentChannelNames.of(config.channels().incidentChannelPrefix(), LocalDate.now(ZoneOffset.UTC),
                            "L2 blocks stopped")), new Firebreak.Extension(demo.commands(), parts -> demo.wire(parts.approvals(), parts.actions(), parts.probes(), parts.timeline())));
        }
    }

    /** One line on what the demo kept from its last run, if anything. */
    private static String continuity(DemoEnvironment demo, boolean fresh) {
        Path folder = Main.DEMO_STORE.getParent();
        if (demo.chain().resumed()) {
            return "Resuming the demo kept in " + folder + "/: its incidents, approvals and chain carry on "
                    + "(./firebreak demo --fresh starts over).\n";
        }
        if (demo.startedOverBecause().isPresent()) {
            return "Starting the demo afresh in " + folder + "/: " + demo.startedOverBecause().get() + ".\n";
        }
        return (fresh ? "Starting the demo afresh" : "A new demo") + " in " + folder + "/: its incidents, approvals and chain "
                + "are kept for the next run (./firebreak demo --fresh starts over).\n";
    }
}
