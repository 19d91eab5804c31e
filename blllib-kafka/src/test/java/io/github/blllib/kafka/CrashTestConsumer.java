package io.github.blllib.kafka;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import io.github.blllib.Pipeline;
import io.github.blllib.StageSpec;

/**
 * The consumer {@link KafkaCrashTest} runs in a JVM of its own and kills: a job from
 * {@code <in>} to {@code <out>} that runs until the process dies.
 * Arguments: bootstrap servers, input topic, output topic, group, transactional.
 */
public final class CrashTestConsumer {

	/** Records read and not committed at which partitions pause; part of the duplicate bound. */
	static final int READ_AHEAD = 200;

	/** {@code max.poll.records}; part of the duplicate bound. */
	static final int MAX_POLL_RECORDS = 200;

	/** The stage's batch size: what the pipeline holds at most. */
	static final int BATCH = 16;

	private CrashTestConsumer() {
	}

	public static void main(String[] args) throws InterruptedException {
		KafkaTestSupport kafka = new KafkaTestSupport(args[0]);
		String group = args[3];
		boolean transactional = Boolean.parseBoolean(args[4]);
		Map<String, Object> properties = kafka.consumerProperties(group);
		properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
		// a restarted consumer takes the killed one's place at once
		properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-consumer");
		KafkaTemplate<String, String> template = transactional ? kafka.transactionalTemplate(group + "-tx-")
				: kafka.template();
		Pipeline<String, String> pipeline = Pipeline.<String>builder("crash")
			.nCpu(2)
			.then(StageSpec.stateless("mark", (String value) -> value + "!").batchSize(BATCH))
			.build();
		KafkaPipelineJob job = KafkaPipelineJob.builder("crash")
			.consumerFactory(new DefaultKafkaConsumerFactory<>(properties))
			.topics(args[1])
			.pipeline(pipeline)
			.outputTopic(template, args[2])
			.transactional(transactional)
			.readAhead(READ_AHEAD)
			.build();
		job.start();
		new CountDownLatch(1).await();
	}

}
