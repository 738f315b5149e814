package io.ranker.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link RedisServerHarness} field of a {@code @QuarkusTest} that uses the harness as a test resource:
 * Quarkus injects the running harness, so the test can {@code pause()}/{@code resume()} Redis.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectRedisHarness {
}
