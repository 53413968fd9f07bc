def explain(instance, result, participant):
    return []
