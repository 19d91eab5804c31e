package io.github.blllib.demo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the demo application.
 *
 * @param unit time unit the seed example's stages sleep in: add and subtract sleep 3 units,
 * multiply 5 and divide 7
 * @param items number of inputs the long job feeds through its pipeline
 * @param itemsPerSecond pace at which the long job feeds its inputs, so that it lasts long enough
 * to watch (the defaults: about a minute); 0 feeds them as fast as the pipeline takes them
 * @param progressInterval how often the long job logs its progress
 * @param exitAfterRun whether the application exits once the jobs are done instead of serving
 * Actuator until it is stopped
 * @param remoteLatency how long the long job's simulated remote screening service takes to
 * answer a call
 * @param chunkSize outputs the resumable job stores per transaction, with its position
 */
@ConfigurationProperties("demo")
public record DemoProperties(@DefaultValue("10ms") Duration unit, @DefaultValue("1200000") int items,
		@DefaultValue("20000") int itemsPerSecond, @DefaultValue("1s") Duration progressInterval, @DefaultValue("false") boolean exitAfterRun,
		@DefaultValue("1ms") Duration remoteLatency, @DefaultValue("1000") int chunkSize) {

	public DemoProperties {
		if (unit.isNegative()) {
			throw new IllegalArgumentException("demo.unit must not be negative, but was " + unit);
		}
		if (items < 0) {
			throw new IllegalArgumentException("demo.items must not be negative, but was " + items);
		}
		if (itemsPerSecond < 0) {
			throw new IllegalArgumentException("demo.items-per-second must not be negative, but was " + itemsPerSecond);
		}
		if (remoteLatency.isNegative()) {
			throw new IllegalArgumentException("demo.remote-latency must not be negative, but was " + remoteLatency);
		}
		if (chunkSize < 1) {
			throw new IllegalArgumentException("demo.chunk-size must be at least 1, but was " + chunkSize);
		}
		if (progressInterval.isNegative() || progressInterval.isZero()) {
			throw new IllegalArgumentException("demo.progress-interval must be positive, but was " + progressInterval);
		}
	}

}
