package io.github.blllib.kafka;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records handed to one run and not yet committed past, by input index (the run's
 * {@code position()} counts in the same indexes) and by partition. Poll thread only.
 *
 * <p>The commit for a position {@code p} is, for each partition with a record below {@code p},
 * the offset of its first record at index {@code p} or later, or its last record's offset + 1
 * when all its records are below {@code p}: never past a record whose output was not delivered.
 */
final class ReadRecords {

	private final Map<TopicPartition, ArrayDeque<Entry>> byPartition = new HashMap<>();

	private Entry[] ring = new Entry[64];

	private int head;

	private int size;

	/** The index of the oldest record held. */
	private long firstIndex;

	void add(ConsumerRecord<?, ?> record) {
		if (this.size == this.ring.length) {
			grow();
		}
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		Entry entry = new Entry(this.firstIndex + this.size, partition, record);
		this.ring[(this.head + this.size) & (this.ring.length - 1)] = entry;
		this.size++;
		this.byPartition.computeIfAbsent(partition, (key) -> new ArrayDeque<>()).add(entry);
	}

	/** The record at input index {@code index}, which must be held. */
	ConsumerRecord<?, ?> get(long index) {
		if (index < this.firstIndex || index >= this.firstIndex + this.size) {
			throw new IllegalStateException("Input #" + index + " is not held (held: #" + this.firstIndex + " to #"
					+ (this.firstIndex + this.size - 1) + ")");
		}
		return this.ring[(int) ((this.head + (index - this.firstIndex)) & (this.ring.length - 1))].record;
	}

	/** The records held. */
	int size() {
		return this.size;
	}

	/** The commit offsets for {@code position}: only partitions with a record below it. */
	Map<TopicPartition, OffsetAndMetadata> offsetsAt(long position) {
		Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
		long end = Math.min(position, this.firstIndex + this.size);
		for (long index = this.firstIndex; index < end; index++) {
			TopicPartition partition = this.ring[(int) ((this.head + (index - this.firstIndex))
					& (this.ring.length - 1))].partition;
			offsets.computeIfAbsent(partition, (key) -> new OffsetAndMetadata(offsetAt(key, position)));
		}
		return offsets;
	}

	private long offsetAt(TopicPartition partition, long position) {
		long last = -1;
		for (Entry entry : this.byPartition.get(partition)) {
			if (entry.index >= position) {
				return entry.record.offset();
			}
			last = entry.record.offset();
		}
		return last + 1;
	}

	/** Forgets the records below {@code position}, once committed. */
	void dropBelow(long position) {
		while (this.size > 0 && this.firstIndex < position) {
			Entry entry = this.ring[this.head];
			this.ring[this.head] = null;
			this.head = (this.head + 1) & (this.ring.length - 1);
			this.size--;
			this.firstIndex++;
			ArrayDeque<Entry> partition = this.byPartition.get(entry.partition);
			partition.poll();
			if (partition.isEmpty()) {
				this.byPartition.remove(entry.partition);
			}
		}
		if (this.size == 0) {
			this.firstIndex = Math.max(this.firstIndex, position);
		}
	}

	/** Where each partition with a record held must be read again from: its first held record. */
	Map<TopicPartition, Long> firstOffsets() {
		Map<TopicPartition, Long> offsets = new HashMap<>();
		this.byPartition.forEach((partition, entries) -> offsets.put(partition, entries.peek().record.offset()));
		return offsets;
	}

	private void grow() {
		Entry[] larger = new Entry[this.ring.length * 2];
		for (int i = 0; i < this.size; i++) {
			larger[i] = this.ring[(this.head + i) & (this.ring.length - 1)];
		}
		this.ring = larger;
		this.head = 0;
	}

	private record Entry(long index, TopicPartition partition, ConsumerRecord<?, ?> record) {
	}

}
