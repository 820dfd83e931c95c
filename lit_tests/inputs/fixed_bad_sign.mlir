%x = "test.op"() : () -> tensor<4x!fixed.fixed<8, 3, sign>>
