package io.github.blllib.demo.kafka;

import java.util.Locale;

import io.github.blllib.BlllibStage;
import io.github.blllib.Stage;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The Kafka job's last stage, stateless: the priced order as the output topic carries it. */
@Component("order-label")
@Profile(KafkaDemo.PROFILE)
@BlllibStage(stateful = "false", batchSize = 16)
public class OrderLabel implements Stage<String, String> {

	@Override
	public String apply(String priced) {
		return label(priced);
	}

	public static String label(String priced) {
		return "PRICED " + priced.toUpperCase(Locale.ROOT);
	}

}
