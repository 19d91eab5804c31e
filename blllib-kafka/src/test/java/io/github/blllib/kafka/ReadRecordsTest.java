package io.github.blllib.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The commit for a position: per partition, never past a record at or after it. */
class ReadRecordsTest {

	private static final TopicPartition P0 = new TopicPartition("t", 0);

	private static final TopicPartition P1 = new TopicPartition("t", 1);

	@Test
	void commitsTheFirstRecordAtOrAfterThePositionOrThePartitionsLastOffsetPlusOne() {
		ReadRecords records = new ReadRecords();
		records.add(record(0, 10)); // #0
		records.add(record(1, 5)); // #1
		records.add(record(0, 12)); // #2 (offset 11 is a transaction marker)
		records.add(record(1, 6)); // #3
		assertThat(records.offsetsAt(0)).isEmpty();
		assertThat(records.offsetsAt(1)).isEqualTo(Map.of(P0, new OffsetAndMetadata(12)));
		assertThat(records.offsetsAt(2)).isEqualTo(Map.of(P0, new OffsetAndMetadata(12), P1, new OffsetAndMetadata(6)));
		assertThat(records.offsetsAt(4)).isEqualTo(Map.of(P0, new OffsetAndMetadata(13), P1, new OffsetAndMetadata(7)));
	}

	@Test
	void dropsWhatIsCommittedAndKnowsWhereToReadAgain() {
		ReadRecords records = new ReadRecords();
		for (int i = 0; i < 200; i++) {
			records.add(record(i % 2, i / 2));
		}
		records.dropBelow(101);
		assertThat(records.size()).isEqualTo(99);
		assertThat(records.get(101).offset()).isEqualTo(50);
		assertThat(records.firstOffsets()).isEqualTo(Map.of(P0, 51L, P1, 50L));
		assertThat(records.offsetsAt(103)).isEqualTo(Map.of(P1, new OffsetAndMetadata(51), P0, new OffsetAndMetadata(52)));
		records.dropBelow(200);
		assertThat(records.size()).isZero();
		assertThat(records.firstOffsets()).isEmpty();
		records.add(record(0, 100));
		assertThat(records.get(200).offset()).isEqualTo(100);
	}

	private static ConsumerRecord<String, String> record(int partition, long offset) {
		return new ConsumerRecord<>("t", partition, offset, "k", "v");
	}

}
