package io.github.blllib.autoconfigure.endpoint;

import java.util.List;

/**
 * The Kafka jobs the {@link BlllibEndpoint} shows: a bean of the starter's Kafka
 * auto-configuration, absent without Kafka.
 */
@FunctionalInterface
public interface KafkaJobDescriptions {

	/** Each job, in name order. */
	List<BlllibEndpoint.KafkaJobDescriptor> describe();

}
