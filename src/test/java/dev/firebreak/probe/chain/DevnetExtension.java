package dev.firebreak.probe.chain;

import dev.firebreak.demo.chain.DemoChain;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test a {@link DemoChain} (anvil with the fixtures deployed) as a parameter and stops it
 * when the context that asked for it ends: per class when asked for in {@code @BeforeAll}. On a
 * class marked {@link SnapshotPerTest} each test starts from the chain as the class set it up and
 * is reverted after.
 */
public final class DevnetExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DevnetExtension.class);

    /**
     * Each test of the class starts from the chain as its {@code @BeforeAll} left it: a snapshot is
     * taken before the test's {@code @BeforeEach} methods and reverted to after its {@code @AfterEach}
     * ones, with automatic mining switched back on. A class whose tests carry chain state from one to
     * the next on purpose goes without it.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface SnapshotPerTest {}

    private record Running(DemoChain chain) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            chain.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DemoChain.class;
    }

    /** Ask for it in a {@code @BeforeAll} of a {@code PER_CLASS} test: the store is then the class's. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE)
                .getOrComputeIfAbsent("devnet", key -> new Running(DemoChain.start()), Running.class).chain();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!snapshotPerTest(context)) return;
        Running running = context.getStore(NAMESPACE).get("devnet", Running.class);
        if (running == null) {
            throw new IllegalStateException(context.getRequiredTestClass().getSimpleName() + " is marked @SnapshotPerTest but asked for no "
                    + "DemoChain: take one as a parameter of a @BeforeAll of a PER_CLASS test");
        }
        context.getStore(NAMESPACE).put("snapshot", running.chain().rpc().snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!snapshotPerTest(context)) return;
        String snapshot = context.getStore(NAMESPACE).remove("snapshot", String.class);
        if (snapshot != null) context.getStore(NAMESPACE).get("devnet", Running.class).chain().rpc().revertTo(snapshot);
    }

    private static boolean snapshotPerTest(ExtensionContext context) {
        return AnnotationSupport.isAnnotated(context.getRequiredTestClass(), SnapshotPerTest.class);
    }
}
