package io.github.blllib.autoconfigure.ui.browser;

import io.github.blllib.Stage;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A web application with the live view and a Kafka job whose pipeline upper-cases record values. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class KafkaLiveViewApplication {

	@Bean
	Stage<String, String> upper() {
		return String::toUpperCase;
	}

}
