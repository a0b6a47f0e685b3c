package dev.firebreak.ha;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * SQLite is single-process: the one process running on a SQLite store holds an exclusive lock on
 * a file next to it ({@code firebreak.db.lock}) for as long as it runs. The operating system
 * releases it when the process ends, however it ends.
 */
public final class LockFile implements AutoCloseable {

    /** Another process already runs on this store. */
    public static final class Taken extends RuntimeException {
        Taken(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static Path of(Path store) {
        return store.resolveSibling(store.getFileName() + ".lock");
    }

    /** Takes the lock for the SQLite store at {@code store}, or throws {@link Taken} saying what to do. */
    public static LockFile take(Path store) {
        Path file = of(store);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new Taken("cannot create the lock file " + file + " (" + e.getMessage() + "); make its folder writable");
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new Taken("cannot lock " + file + " (" + e.getMessage() + ")");
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new Taken("another Firebreak process is already running on the SQLite store " + store
                    + " (it holds " + file + "). SQLite is single-process: stop the other one, or use PostgreSQL "
                    + "(FIREBREAK_DB_URL=jdbc:postgresql://...) to run two or more replicas.");
        }
        return new LockFile(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
