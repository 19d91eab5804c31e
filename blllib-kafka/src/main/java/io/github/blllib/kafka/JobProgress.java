package io.github.blllib.kafka;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** A job's figures: written by its poll thread, read from any thread. */
final class JobProgress {

	private final Map<TopicPartition, PartitionProgress> partitions = new ConcurrentHashMap<>();

	final AtomicLong commits = new AtomicLong();

	final AtomicLong rebalances = new AtomicLong();

	final AtomicLong uncommitted = new AtomicLong();

	void assigned(TopicPartition partition) {
		this.partitions.putIfAbsent(partition, new PartitionProgress(partition.topic(), partition.partition(), -1, -1));
	}

	void removed(TopicPartition partition) {
		this.partitions.remove(partition);
	}

	void delivered(Map<TopicPartition, OffsetAndMetadata> offsets) {
		offsets.forEach((partition, offset) -> this.partitions.computeIfPresent(partition,
				(key, progress) -> new PartitionProgress(key.topic(), key.partition(), offset.offset(),
						progress.committed())));
	}

	void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
		this.commits.incrementAndGet();
		offsets.forEach((partition, offset) -> this.partitions.computeIfPresent(partition,
				(key, progress) -> new PartitionProgress(key.topic(), key.partition(),
						Math.max(progress.delivered(), offset.offset()), offset.offset())));
	}

	List<PartitionProgress> partitions() {
		return this.partitions.values()
			.stream()
			.sorted(Comparator.comparing(PartitionProgress::topic).thenComparingInt(PartitionProgress::partition))
			.toList();
	}

}
