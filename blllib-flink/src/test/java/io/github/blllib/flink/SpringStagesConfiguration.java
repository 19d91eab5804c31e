package io.github.blllib.flink;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.context.annotation.Scope;

/**
 * Stage beans made of plain (not serializable) lambdas, with settings from annotations and from
 * {@code flink-spring-stages.properties}.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:flink-spring-stages.properties")
class SpringStagesConfiguration {

	/** Contexts created from this configuration in this JVM. */
	static final AtomicInteger contexts = new AtomicInteger();

	SpringStagesConfiguration() {
		contexts.incrementAndGet();
	}

	/** Fails the first attempt of every multiple of 4; retried as the properties say. */
	@Bean
	@BlllibStage(stateful = "false", batchSize = 3)
	Stage<Long, Long> flaky() {
		Map<Long, Boolean> failed = new ConcurrentHashMap<>();
		return (x) -> {
			if (x % 4 == 0 && failed.putIfAbsent(x, true) == null) {
				throw new IllegalStateException("first attempt of " + x);
			}
			return x;
		};
	}

	@Bean
	@BlllibStage(stateful = "false", batchSize = 2)
	Stage<Long, Long> square() {
		return (x) -> x * x;
	}

	@Bean
	@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
	Stage<Long, Long> total() {
		long[] sum = new long[1];
		return (x) -> sum[0] += x;
	}

	@Bean
	Stage<List<Long>, Long> diff() {
		return (window) -> window.get(1) - window.get(0);
	}

}
