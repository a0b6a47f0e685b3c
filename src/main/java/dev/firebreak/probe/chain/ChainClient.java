package dev.firebreak.probe.chain;

import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * JSON-RPC to one chain through its endpoints in order: a call that fails or exceeds the per-call
 * timeout moves on to the next URL. Each endpoint's chain id is checked once before it is used,
 * so a misconfigured RPC is a clear error rather than a read from the wrong chain. Errors name
 * endpoints by host only, never by their full URL (which may carry an API key).
 */
final class ChainClient implements AutoCloseable {

    /** One RPC request, built against whichever endpoint is tried. */
    @FunctionalInterface
    interface RpcCall<T extends Response<?>> {
        Request<?, T> request(Web3j web3j);
    }

    private record Endpoint(String label, Web3j web3j) {}

    private static final ScheduledExecutorService WEB3J_SCHEDULER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "web3j-poll");
        thread.setDaemon(true);
        return thread;
    });

    private final String chain;
    private final ChainsConfig.ChainSpec spec;
    private final List<Endpoint> endpoints;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final OkHttpClient http;
    private volatile boolean closed;

    ChainClient(String chain, ChainsConfig.ChainSpec spec) {
        this.chain = chain;
        this.spec = spec;
        Duration timeout = Duration.ofMillis(spec.timeoutMillis());
        this.http = new OkHttpClient.Builder()
                .connectTimeout(timeout).readTimeout(timeout).callTimeout(timeout)
                .retryOnConnectionFailure(false).build();
        List<Endpoint> list = new ArrayList<>();
        for (int i = 0; i < spec.rpcUrls().size(); i++) {
            String url = spec.rpcUrls().get(i);
            list.add(new Endpoint("rpc #" + (i + 1) + " (" + host(url) + ")",
                    Web3j.build(new HttpService(url, http), 1000, WEB3J_SCHEDULER)));
        }
        this.endpoints = List.copyOf(list);
    }

    String chain() {
        return chain;
    }

    ChainsConfig.ChainSpec spec() {
        return spec;
    }

    static String host(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (RuntimeException e) {
            return "unparseable URL";
        }
    }

    /**
     * Sends a call to the first endpoint that answers. A JSON-RPC error (a revert, "nonce too
     * low") is an answer and is returned as is; only transport failures and timeouts fall back.
     */
    <T extends Response<?>> T send(RpcCall<T> call) {
        if (closed) throw new IllegalStateException("the RPC client of chain '" + chain + "' is closed");
        List<String> failures = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            try {
                verifyChainId(endpoint);
                return call.request(endpoint.web3j()).send();
            } catch (WrongChain e) {
                failures.add(endpoint.label() + " " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                failures.add(endpoint.label() + " " + describe(e));
            }
        }
        throw new ChainUnreachable("chain '" + chain + "': no RPC endpoint answered (" + String.join("; ", failures)
                + "); check the RPC URLs in bot/chains.yaml and that the nodes are up");
    }

    /** The chain id each endpoint reports, checked once per endpoint. */
    private void verifyChainId(Endpoint endpoint) throws IOException {
        if (verified.contains(endpoint.label())) return;
        var response = endpoint.web3j().ethChainId().send();
        if (response.hasError()) throw new IOException("eth_chainId failed: " + response.getError().getMessage());
        long actual = response.getChainId().longValueExact();
        if (actual != spec.chainId()) throw new WrongChain("reports chain id " + actual + " but chains." + chain
                + ".chainId is " + spec.chainId() + "; fix the URL or the expected chain id");
        verified.add(endpoint.label());
    }

    /** What went wrong with a call, in words: timed out, refused the connection, unknown host. */
    static String describe(Throwable e) {
        if (e instanceof java.io.InterruptedIOException || e instanceof java.net.http.HttpTimeoutException) return "timed out";
        if (e instanceof java.net.ConnectException) return "refused the connection";
        if (e instanceof java.net.UnknownHostException) return "unknown host";
        String name = e.getClass().getSimpleName();
        return "failed (" + name + ")";
    }

    private static final class WrongChain extends RuntimeException {
        WrongChain(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        closed = true;
        // Web3j#shutdown would stop the shared scheduler; the HTTP client's resources are what we hold.
        http.connectionPool().evictAll();
        http.dispatcher().executorService().shutdown();
    }
}
