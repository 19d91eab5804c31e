package io.github.blllib.autoconfigure;

import java.time.Duration;

import io.github.blllib.DurationLimit;
import io.github.blllib.autoconfigure.health.BlllibHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code blllib} health contributor,
 * when Spring Boot's health support is present, unless
 * {@code management.health.blllib.enabled=false}. It lives beside {@link OpenPipelines} so that
 * it can hand the indicator a read-only view of them.
 */
@AutoConfiguration(after = BlllibAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("blllib")
public final class BlllibHealthContributorAutoConfiguration {

	private static final String STALL_TIMEOUT = "blllib.health.stall-timeout";

	private static final String POSITIVE_DURATION = "a positive duration, such as 1m or 30s";

	@Bean
	@ConditionalOnMissingBean(name = "blllibHealthIndicator")
	@ConditionalOnBean(OpenPipelines.class)
	BlllibHealthIndicator blllibHealthIndicator(OpenPipelines openPipelines, BlllibProperties properties) {
		Duration stallTimeout = properties.getHealth().getStallTimeout();
		if (stallTimeout == null || stallTimeout.isNegative() || stallTimeout.isZero()
				|| DurationLimit.exceeds(stallTimeout)) {
			throw BlllibConfigurationException.invalidProperty(STALL_TIMEOUT,
					(stallTimeout != null) ? DurationStyle.SIMPLE.print(stallTimeout) : "",
					POSITIVE_DURATION + ", " + DurationLimit.LONGEST_IN_WORDS,
					"a stage is reported stalled after that long with items in flight and no call finished");
		}
		return new BlllibHealthIndicator(openPipelines::list, stallTimeout);
	}

}
