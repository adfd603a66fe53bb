hexe.ses.isolation.set({ profile = "default" })
