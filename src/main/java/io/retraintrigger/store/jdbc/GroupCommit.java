package io.retraintrigger.store.jdbc;

import io.retraintrigger.store.StoreException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Group commit of independent callers' writes: what callers submit while a transaction is running is
 * written together in the next one (up to {@code maxGroup}), by one writer thread, and each caller waits
 * for the commit that holds its write; a database commit (a file write on H2, a WAL flush on PostgreSQL)
 * then serves many. A group that fails is written again submission by submission, so that one bad
 * submission fails only itself. The batch store's appends and the event archive's keeps go through one each.
 *
 * @param <T> what a caller submits
 */
final class GroupCommit<T> {
    @FunctionalInterface
    interface Work<T> {
        /** Writes the group in transaction {@code c} (committed after it returns). */
        void write(Connection c, List<T> group) throws SQLException;
    }

    private record Submission<T>(T item, CompletableFuture<Void> done) {
    }

    private final DataSource dataSource;
    private final String threadName;
    private final int maxGroup;
    private final Work<T> work;
    private final LinkedBlockingQueue<Submission<T>> pending = new LinkedBlockingQueue<>();
    private volatile Thread writer;

    GroupCommit(DataSource dataSource, String threadName, int maxGroup, Work<T> work) {
        this.dataSource = dataSource;
        this.threadName = threadName;
        this.maxGroup = maxGroup;
        this.work = work;
    }

    /** Writes {@code item} in a transaction with whatever else is waiting; returns once it is committed. */
    void submit(T item) {
        Submission<T> s = new Submission<>(item, new CompletableFuture<>());
        writer();
        pending.add(s);
        try {
            s.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("state store: interrupted while waiting for a commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new StoreException("state store: " + e.getCause(), e.getCause());
        }
    }

    private void writer() {
        if (writer != null) return;
        synchronized (pending) {
            if (writer != null) return;
            Thread t = new Thread(this::writeGroups, threadName);
            t.setDaemon(true);
            t.start();
            writer = t;
        }
    }

    private void writeGroups() {
        while (true) {
            List<Submission<T>> group = new ArrayList<>();
            try {
                group.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(group, maxGroup - 1);
            try {
                commit(group);
            } catch (RuntimeException | Error failed) {
                if (group.size() == 1) {
                    group.get(0).done().completeExceptionally(failed);
                    continue;
                }
                for (Submission<T> s : group) {
                    try {
                        commit(List.of(s));
                    } catch (RuntimeException | Error alone) {
                        s.done().completeExceptionally(alone);
                    }
                }
            }
        }
    }

    private void commit(List<Submission<T>> group) {
        List<T> items = new ArrayList<>(group.size());
        for (Submission<T> s : group) items.add(s.item());
        Sql.inTransaction(dataSource, c -> {
            work.write(c, items);
            return null;
        });
        for (Submission<T> s : group) s.done().complete(null);
    }
}
