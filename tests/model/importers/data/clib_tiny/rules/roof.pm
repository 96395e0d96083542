or(
Body = sedan and Roof = glass
Body = sedan and Roof = none
Body = estate and Roof = glass
Body = van and Roof = none
or)
