package io.github.blllib.autoconfigure.metrics;

import io.github.blllib.autoconfigure.BlllibAutoConfiguration;
import io.github.blllib.micrometer.BlllibMeterNames;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Renames the {@code name} tag of the worker pool's {@code executor.*} meters from its bean name,
 * which Spring Boot's task executor metrics use, to {@value BlllibMeterNames#WORKER_POOL_NAME}.
 * Spring Boot binds every {@code ThreadPoolTaskExecutor} bean that is an autowire candidate,
 * including the worker pool (which is only not a default candidate), so the pool is bound once,
 * by Boot, under blllib's name.
 */
final class WorkerPoolMeterFilter implements MeterFilter {

	private static final String EXECUTOR_METER_PREFIX = "executor";

	private static final String NAME_TAG = "name";

	@Override
	public Meter.Id map(Meter.Id id) {
		if (id.getName().startsWith(EXECUTOR_METER_PREFIX)
				&& BlllibAutoConfiguration.WORKER_EXECUTOR_BEAN_NAME.equals(id.getTag(NAME_TAG))) {
			return id.replaceTags(Tags.of(id.getTagsAsIterable()).and(NAME_TAG, BlllibMeterNames.WORKER_POOL_NAME));
		}
		return id;
	}

}
