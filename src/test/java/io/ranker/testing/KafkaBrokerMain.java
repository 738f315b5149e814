package io.ranker.testing;

import java.io.PrintStream;

/**
 * Entry point of the child JVM that {@link KafkaBrokerHarness} starts: formats the KRaft storage (what
 * {@code kafka-storage.sh format} does) and runs the broker ({@code kafka-server-start.sh}), in one JVM to pay one
 * JVM start. Reflection, because the Kafka server is on the child's classpath only, never on the test classpath.
 * Arguments: {@code <server.properties> <cluster id>}.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain <server.properties> <cluster-id>");
            System.exit(2);
        }
        String[] format = {"format", "--cluster-id", args[1], "--config", args[0], "--ignore-formatted"};
        int rc = (int) Class.forName("kafka.tools.StorageTool").getMethod("execute", String[].class, PrintStream.class)
                .invoke(null, format, System.out);
        if (rc != 0) {
            System.err.println("kafka storage format failed with " + rc);
            System.exit(rc);
        }
        Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) new String[]{args[0]});
    }
}
