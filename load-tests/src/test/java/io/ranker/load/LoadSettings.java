package io.ranker.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Run parameters, read from system properties ({@code -DbaseUrl=... -Drate=200 -Dduration=60}).
 * Load is only ever aimed at this machine: a base URL whose host is not a loopback address is refused,
 * and rate and duration are bounded, so a typo cannot turn a benchmark into a flood against a shared host.
 */
public final class LoadSettings {
    static final int MAX_RATE = 5_000;
    static final int MAX_DURATION_SECONDS = 600;

    public final String baseUrl;
    /** Arrivals per second (open model: new requests arrive at this rate whether or not earlier ones finished). */
    public final double rate;
    public final Duration duration;
    /** Poisson arrivals instead of evenly spaced ones ({@code -Darrivals=poisson}). */
    public final boolean poisson;
    /** Demo user ids are u0..u{users-1}; the rest of the traffic comes from unknown (cold-start) users. */
    public final int users;
    public final double coldUserShare;
    /** Optional assertion: fail the run when the global p99 exceeds this many milliseconds (0 = no assertion). */
    public final int p99Millis;

    private LoadSettings(String baseUrl, double rate, Duration duration, boolean poisson, int users,
                         double coldUserShare, int p99Millis) {
        this.baseUrl = baseUrl;
        this.rate = rate;
        this.duration = duration;
        this.poisson = poisson;
        this.users = users;
        this.coldUserShare = coldUserShare;
        this.p99Millis = p99Millis;
    }

    public static LoadSettings fromSystemProperties() {
        String baseUrl = requireLoopback(System.getProperty("baseUrl", "http://127.0.0.1:8080"));
        double rate = Double.parseDouble(System.getProperty("rate", "200"));
        int seconds = Integer.parseInt(System.getProperty("duration", "60"));
        if (!(rate > 0 && rate <= MAX_RATE)) {
            throw new IllegalArgumentException("rate must be in (0, " + MAX_RATE + "] requests/s, was " + rate);
        }
        if (seconds < 1 || seconds > MAX_DURATION_SECONDS) {
            throw new IllegalArgumentException("duration must be 1.." + MAX_DURATION_SECONDS + " s, was " + seconds);
        }
        boolean poisson = "poisson".equalsIgnoreCase(System.getProperty("arrivals", "uniform"));
        int users = Integer.parseInt(System.getProperty("users", "1000"));
        double cold = Double.parseDouble(System.getProperty("coldUsers", "0.1"));
        int p99 = Integer.parseInt(System.getProperty("p99ms", "0"));
        return new LoadSettings(baseUrl, rate, Duration.ofSeconds(seconds), poisson, users, cold, p99);
    }

    /** Accepts http(s)://host[:port] when host is a loopback address (127.0.0.0/8, ::1, or a name resolving only to those). */
    static String requireLoopback(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost();
        if (host == null || uri.getScheme() == null || !uri.getScheme().matches("https?")) {
            throw new IllegalArgumentException("baseUrl must look like http://127.0.0.1:8080, was " + url);
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    throw new IllegalArgumentException("load tests only run against this machine; " + host
                            + " resolves to " + a.getHostAddress() + ", which is not a loopback address");
                }
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + host, e);
        }
        return url.replaceAll("/+$", "");
    }
}
