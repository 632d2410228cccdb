package io.dic4j.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers {@link DicModelZoo} with DJL (META-INF/services/ai.djl.repository.zoo.ZooProvider). */
public final class DicZooProvider implements ZooProvider {

    @Override
    public ModelZoo getModelZoo() {
        return new DicModelZoo();
    }
}
