package io.github.blllib.kafka;

import java.util.Map;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Told of each commit of a {@link KafkaPipelineJob}, on its poll thread, right after the offsets
 * were committed (with the transaction, when transactional). Keep it quick: it delays polling.
 */
@FunctionalInterface
public interface CommitListener {

	void committed(Map<TopicPartition, OffsetAndMetadata> offsets);

}
