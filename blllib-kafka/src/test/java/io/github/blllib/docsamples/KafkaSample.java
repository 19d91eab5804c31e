package io.github.blllib.docsamples;

import io.github.blllib.Pipeline;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;
import io.github.blllib.kafka.KafkaDeadLetters;
import io.github.blllib.kafka.KafkaJobState;
import io.github.blllib.kafka.KafkaPipelineJob;

import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/** The example of docs/kafka.md. */
class KafkaSample {

	static KafkaJobState run(ConsumerFactory<String, String> consumerFactory,
			KafkaTemplate<String, String> kafkaTemplate, Stage<String, String> lookup) {
		// tag::kafka-job[]
		Pipeline<String, String> pipeline = Pipeline.<String>builder("enrich")
		    .deadLetters(KafkaDeadLetters.handler())          // skipped items go to the dead-letter topic
		    .then(StageSpec.stateless("lookup", lookup).batchSize(64).skipFailures())
		    .build();

		KafkaPipelineJob job = KafkaPipelineJob.builder("orders")
		    .consumerFactory(consumerFactory)                 // group.id from the factory, or .groupId(..)
		    .topics("orders")
		    .pipeline(pipeline)
		    .outputTopic(kafkaTemplate, "orders-enriched")    // or .sink(output -> future)
		    .transactional(false)                             // true: needs a transactional KafkaTemplate
		    .build();
		job.start();
		KafkaJobState state = job.state();   // status, partitions with delivered and committed offsets, counters
		job.stop();                          // sends and commits what was delivered, leaves the group
		// end::kafka-job[]
		return state;
	}

}
