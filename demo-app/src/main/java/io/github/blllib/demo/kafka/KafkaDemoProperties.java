package io.github.blllib.demo.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the demo's Kafka job.
 *
 * @param orders orders the feed writes to the orders topic on start-up
 * @param priceLatency how long the simulated price service takes to answer a call
 */
@ConfigurationProperties("demo.kafka")
public record KafkaDemoProperties(@DefaultValue("20000") int orders, @DefaultValue("5ms") Duration priceLatency) {

	public KafkaDemoProperties {
		if (orders < 0) {
			throw new IllegalArgumentException("demo.kafka.orders must not be negative, but was " + orders);
		}
		if (priceLatency.isNegative()) {
			throw new IllegalArgumentException("demo.kafka.price-latency must not be negative, but was " + priceLatency);
		}
	}

}
