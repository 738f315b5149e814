package io.ranker.state;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Once-per-cluster work with a Redis lock: {@code SET lock token NX PX 60000}, renewed every 15 s while the work runs
 * (so a holder that dies releases it within a minute and another replica takes over), deleted by its holder only
 * (compare-and-delete). Replicas that do not get the lock poll {@code done} every 500 ms until the wait is over; then
 * they carry on without the result (it still reaches them through the state watcher when it arrives).
 */
public final class RedisOncePerCluster implements OncePerCluster {
    private static final Logger LOG = Logger.getLogger(RedisOncePerCluster.class);
    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final RedisStateClient.Script RELEASE = RedisStateClient.Script.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """);
    private static final RedisStateClient.Script RENEW = RedisStateClient.Script.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0
            """);

    private final RedisStateClient redis;
    private final StateKeys keys;
    private final Duration wait;

    public RedisOncePerCluster(RedisStateClient redis, StateKeys keys, Duration wait) {
        this.redis = redis;
        this.keys = keys;
        this.wait = wait;
    }

    @Override
    public void run(String name, BooleanSupplier done, Runnable work) {
        String lock = keys.lock(name);
        String token = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + wait.toNanos();
        boolean announced = false;
        while (!done.getAsBoolean()) {
            Response got = null;
            try {
                got = redis.send(Request.cmd(Command.SET).arg(lock).arg(token).arg("NX").arg("PX").arg(LEASE.toMillis()));
            } catch (StateUnavailableException e) {
                LOG.warnf("%s: the shared store is unreachable (%s); retrying", name, e.getMessage());
            }
            if (got != null) {
                holdAndRun(name, lock, token, done, work);
                return;
            }
            if (System.nanoTime() > deadline) {
                LOG.warnf("%s: another replica is still at it after %s; starting without it (it arrives when done)", name, wait);
                return;
            }
            if (!announced) {
                LOG.infof("%s: another replica is doing it; waiting (at most %s)", name, wait);
                announced = true;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void holdAndRun(String name, String lock, String token, BooleanSupplier done, Runnable work) {
        ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lock-" + name);
            t.setDaemon(true);
            return t;
        });
        ScheduledFuture<?> renewing = renewer.scheduleWithFixedDelay(() -> {
            try {
                redis.eval(RENEW, List.of(lock), List.of(token, String.valueOf(LEASE.toMillis())));
            } catch (RuntimeException e) {
                LOG.debugf("%s: lease renewal failed: %s", name, e.getMessage());
            }
        }, 15, 15, TimeUnit.SECONDS);
        try {
            if (!done.getAsBoolean()) {
                LOG.infof("%s: this replica does it for the cluster", name);
                work.run();
            }
        } finally {
            renewing.cancel(true);
            renewer.shutdownNow();
            try {
                redis.eval(RELEASE, List.of(lock), List.of(token));
            } catch (RuntimeException e) {
                LOG.debugf("%s: lock not released (%s); it expires", name, e.getMessage());
            }
        }
    }
}
