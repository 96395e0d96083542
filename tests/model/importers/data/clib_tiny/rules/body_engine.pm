or(
Body = sedan  and Engine = petrol
Body = sedan  and Engine = ev
or(
Body = estate and Engine = diesel
Engine = petrol and Body = estate
or)
Body = van  and Engine = diesel
or)
